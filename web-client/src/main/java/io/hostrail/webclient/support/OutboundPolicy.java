package io.hostrail.webclient.support;

import java.time.Duration;

/**
 * How calls to one provider are guarded: how long to wait, how often to try, how many calls at once, and when to stop
 * asking for a while. One per provider, so one provider's outage never holds up another's calls.
 *
 * @param connectTimeout     longest wait for a connection
 * @param timeout            longest wait for one attempt's answer, connection included
 * @param maxAttempts        attempts per call, the first included; only idempotent or keyed calls are repeated
 * @param initialBackoff     pause before the first retry; it doubles with each further one, with ±50 % jitter
 * @param maxConcurrentCalls calls in flight at once (the bulkhead); a call beyond them is refused at once
 * @param failureRatePercent share of failed calls among the last {@code slidingWindowSize} that opens the breaker
 * @param slidingWindowSize  calls the failure rate is taken over
 * @param minimumCalls       calls before the failure rate counts at all
 * @param openFor            how long an open breaker refuses calls before letting trial calls through
 * @param halfOpenCalls      trial calls that decide whether the breaker closes again
 */
public record OutboundPolicy(Duration connectTimeout, Duration timeout, int maxAttempts, Duration initialBackoff,
        int maxConcurrentCalls, int failureRatePercent, int slidingWindowSize, int minimumCalls, Duration openFor,
        int halfOpenCalls) {

    public OutboundPolicy {
        positive(connectTimeout, "connectTimeout");
        positive(timeout, "timeout");
        positive(initialBackoff, "initialBackoff");
        positive(openFor, "openFor");
        if (maxAttempts < 1 || maxConcurrentCalls < 1 || slidingWindowSize < 1 || minimumCalls < 1 || halfOpenCalls < 1) {
            throw new IllegalArgumentException("attempts, concurrent calls and breaker call counts must be at least 1");
        }
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            throw new IllegalArgumentException("failureRatePercent must be from 1 to 100");
        }
    }

    private static void positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
