import CalltrailHTTP
import Foundation
import Testing

@Suite struct RetryPolicyTests {
    @Test func backoffIsBoundedAndGrows() {
        let policy = RetryPolicy(maxAttempts: 5, base: 0.5, cap: 4)
        for attempt in 1...8 {
            let ceiling = min(4, 0.5 * pow(2, Double(attempt - 1)))
            for _ in 0..<50 {
                let wait = policy.backoff(afterAttempt: attempt)
                #expect(wait >= 0 && wait <= ceiling)
            }
        }
    }

    @Test func retryAfterReadsSecondsAndDates() {
        #expect(RetryPolicy.retryAfter("3") == 3)
        #expect(RetryPolicy.retryAfter(nil) == nil)
        #expect(RetryPolicy.retryAfter("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_772_420_390)
        #expect(RetryPolicy.retryAfter("Mon, 02 Mar 2026 03:00:00 GMT", now: now) == 10)
    }
}
