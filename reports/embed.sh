#!/bin/sh
# Writes the report definitions and the template of this folder into the binary's source
# (Sources/CalltrailReports/Definition/EmbeddedReports.swift), so a single binary renders the default
# reports without this folder. Run it after editing a file here; a test fails until then.
set -eu
cd "$(dirname "$0")"
out=../Sources/CalltrailReports/Definition/EmbeddedReports.swift
{
    echo "// Written by reports/embed.sh from reports/: edit those files and run it again."
    echo "enum EmbeddedReports {"
    echo "    static let files: [String: String] = ["
    for file in daily.toml monthly.toml report.mustache; do
        echo "        \"$file\": #\"\"\""
        cat "$file"
        echo ""
        echo "\"\"\"#,"
    done
    echo "    ]"
    echo "}"
} > "$out"
