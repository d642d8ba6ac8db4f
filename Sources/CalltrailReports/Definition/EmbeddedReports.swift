// Written by reports/embed.sh from reports/: edit those files and run it again.
enum EmbeddedReports {
    static let files: [String: String] = [
        "daily.toml": #"""
# The daily report: what `calltrail report` and the nightly render for a period of up to a week.
# Copy it, edit it, and render with `calltrail report --definition my-daily.toml`. Sections appear in
# this order; drop one by deleting it. Kinds:
#   cards   the headline figures beside the comparison period (--compare)
#   trend   service level, abandon rate, offered and AHT per day over the 30 days ending with the period
#   chart   a built-in chart: sl_by_interval, sl_by_day, queue_interval_heatmaps, day_hour_heatmaps,
#           calls_by_hour, wait_distribution, sl_formulas, staffing
#   drill   the calls behind the counts: each queue's abandoned and late-answered calls, each interval's
#           abandoned calls, listed from calls.csv and shown when a count linking to them is followed
#   table   a dataset (queries/NAME.sql, the calls listing `calls`, or a query of your own from `queries`) as a table:
#           columns (default: all), percent (columns shown as percentages), limit (rows), empty (text
#           when it has no rows), min_rows (leave the section out below this many rows)
title = "Call report"
template = "report.mustache"   # beside this file; the built-in one when it is not there
# queries = "my-queries"       # a folder of .sql files (beside this file): each is a dataset, written as
#                              # NAME.csv, that a table section may name; same parameters as queries/

[[section]]
kind = "cards"

[[section]]
kind = "trend"

[[section]]
kind = "chart"
chart = "sl_by_interval"
title = "Service level by interval"

[[section]]
kind = "chart"
chart = "queue_interval_heatmaps"

[[section]]
kind = "chart"
chart = "day_hour_heatmaps"

[[section]]
kind = "chart"
chart = "calls_by_hour"
title = "Calls by hour of day"

[[section]]
kind = "chart"
chart = "wait_distribution"
title = "Wait before answer or hang-up"

[[section]]
kind = "chart"
chart = "sl_formulas"
title = "All five service-level formulas"

[[section]]
kind = "table"
dataset = "by_queue"
title = "Queues"
columns = ["queue", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "avg_wait_abandoned_s", "p90_wait_s",
           "max_wait_s", "aht_s", "transferred", "threshold_s"]
percent = ["service_level", "abandon_rate"]

[[section]]
kind = "table"
dataset = "by_agent"
title = "Agents"
columns = ["source", "agent", "agent_name", "inbound_answered", "sl_v1_answered", "asa_s", "aht_s", "avg_talk_s", "avg_hold_s",
           "outbound_attempts", "outbound_connected"]
percent = ["sl_v1_answered"]

[[section]]
kind = "table"
dataset = "by_number"
title = "Numbers"
columns = ["number", "number_name", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "outbound_attempts",
           "outbound_connected", "connect_rate"]
percent = ["service_level", "abandon_rate", "connect_rate"]

[[section]]
kind = "table"
dataset = "outbound"
title = "Outbound"
percent = ["connect_rate"]

[[section]]
kind = "table"
dataset = "platform_comparison"
title = "Platform-reported service level beside ours"
percent = ["platform_sl_v1", "sl_v1_answered", "sl_v1_difference", "platform_sl_v4", "sl_v4_with_abandoned", "sl_v4_difference"]
empty = "No platform snapshot was taken in this period (uContact's campaignstatus is stored at each sync and covers that day up to the sync)."

[[section]]
kind = "chart"
chart = "staffing"
title = "Staffing (Erlang C)"

[[section]]
kind = "table"
dataset = "abandoned_calls"
title = "Abandoned calls"
limit = 200

[[section]]
kind = "drill"
title = "The calls behind the counts"

[[section]]
kind = "table"
dataset = "by_day"
title = "Days"
columns = ["day", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "p90_wait_s", "max_wait_s", "aht_s"]
percent = ["service_level", "abandon_rate"]

[[section]]
kind = "table"
dataset = "data_quality"
title = "Data quality"
percent = ["share"]

[[section]]
kind = "table"
dataset = "recording_coverage"
title = "Recording coverage"
percent = ["share"]

[[section]]
kind = "table"
dataset = "recording_verification"
title = "Archive last verified"
percent = ["share"]

"""#,
        "monthly.toml": #"""
# The monthly report: what `calltrail report` renders for a period longer than a week (a month, a year,
# a range of your own). The kinds of section are those of daily.toml, which says what each does.
title = "Call report"
template = "report.mustache"   # beside this file; the built-in one when it is not there
# queries = "my-queries"       # a folder of .sql files (beside this file), as in daily.toml

[[section]]
kind = "cards"

[[section]]
kind = "chart"
chart = "sl_by_day"
title = "Service level by day"

[[section]]
kind = "chart"
chart = "day_hour_heatmaps"

[[section]]
kind = "chart"
chart = "calls_by_hour"
title = "Calls by hour of day"

[[section]]
kind = "chart"
chart = "wait_distribution"
title = "Wait before answer or hang-up"

[[section]]
kind = "chart"
chart = "sl_formulas"
title = "All five service-level formulas"

[[section]]
kind = "table"
dataset = "by_month"
title = "Months"
columns = ["month", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "p90_wait_s", "aht_s"]
percent = ["service_level", "abandon_rate"]
min_rows = 2

[[section]]
kind = "table"
dataset = "by_week"
title = "Weeks"
columns = ["week", "week_start", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "p90_wait_s", "aht_s"]
percent = ["service_level", "abandon_rate"]
min_rows = 2

[[section]]
kind = "table"
dataset = "by_queue"
title = "Queues"
columns = ["queue", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "avg_wait_abandoned_s", "p90_wait_s",
           "max_wait_s", "aht_s", "transferred", "threshold_s"]
percent = ["service_level", "abandon_rate"]

[[section]]
kind = "table"
dataset = "by_agent"
title = "Agents"
columns = ["source", "agent", "agent_name", "inbound_answered", "sl_v1_answered", "asa_s", "aht_s", "avg_talk_s", "avg_hold_s",
           "outbound_attempts", "outbound_connected"]
percent = ["sl_v1_answered"]

[[section]]
kind = "table"
dataset = "by_number"
title = "Numbers"
columns = ["number", "number_name", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "outbound_attempts",
           "outbound_connected", "connect_rate"]
percent = ["service_level", "abandon_rate", "connect_rate"]

[[section]]
kind = "table"
dataset = "outbound"
title = "Outbound"
percent = ["connect_rate"]

[[section]]
kind = "table"
dataset = "platform_comparison"
title = "Platform-reported service level beside ours"
percent = ["platform_sl_v1", "sl_v1_answered", "sl_v1_difference", "platform_sl_v4", "sl_v4_with_abandoned", "sl_v4_difference"]
empty = "No platform snapshot was taken in this period (uContact's campaignstatus is stored at each sync and covers that day up to the sync)."

[[section]]
kind = "table"
dataset = "abandoned_calls"
title = "Abandoned calls"
limit = 200

[[section]]
kind = "table"
dataset = "by_day"
title = "Days"
columns = ["day", "offered", "answered", "abandoned", "service_level", "abandon_rate", "asa_s", "p90_wait_s", "max_wait_s", "aht_s"]
percent = ["service_level", "abandon_rate"]

[[section]]
kind = "table"
dataset = "data_quality"
title = "Data quality"
percent = ["share"]

[[section]]
kind = "table"
dataset = "recording_coverage"
title = "Recording coverage"
percent = ["share"]

[[section]]
kind = "table"
dataset = "recording_verification"
title = "Archive last verified"
percent = ["share"]

"""#,
        "report.mustache": #"""
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} {{period}}</title>
<style>{{{css}}}</style></head><body>
<header><h1>{{title}}</h1>
<p class="period">{{period}} · {{zone}}{{#queues}} · queues: {{queues}}{{/queues}}{{#origin}} · {{origin}}{{/origin}}</p>
<p class="rules">{{rules}}</p>
{{#warnings}}
<p class="warning">{{.}}</p>
{{/warnings}}
</header><main>
{{#sections}}
{{#cards}}
<section class="cards">{{#items}}<div class="card {{state}}"><span class="label">{{label}}</span><span class="value">{{value}}</span><span class="note">{{note}}</span>{{#change}}<span class="change">{{change}}</span>{{/change}}</div>{{/items}}</section>
{{#beside}}<p class="note">{{beside}}</p>{{/beside}}
{{/cards}}
{{#block}}
<section{{#anchor}} id="{{anchor}}" class="drill"{{/anchor}}><h2>{{heading}}</h2>
{{#lead}}<p class="note">{{lead}}</p>{{/lead}}
{{{svg}}}
{{#table}}<div class="scroll"><table{{#wrap}} class="wrap"{{/wrap}}><thead><tr>{{#columns}}<th{{#num}} class="num"{{/num}}>{{name}}</th>{{/columns}}</tr></thead><tbody>
{{#rows}}<tr>{{#cells}}<td{{#num}} class="num"{{/num}}>{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}</td>{{/cells}}</tr>
{{/rows}}</tbody></table></div>{{/table}}
{{#notes}}<p class="note">{{.}}</p>{{/notes}}
</section>
{{/block}}
{{/sections}}
</main><footer>Generated by Calltrail at {{generated}} ({{zone}}). Every figure is in the CSV beside this file; the SQL behind
each is in queries/.</footer></body></html>

"""#,
    ]
}
