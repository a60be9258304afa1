package io.hostrail.infra.embedded;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Resilience4j's circuit breaker records each call's outcome in its sliding window under a {@code ReentrantLock} held
 * for a few instructions. Two provider calls finishing at once on two event loops contend for it, and BlockHound's
 * error thrown from the park inside it failed one call as "unexpected" and could leave the next waiting for good (two
 * concurrent card set-ups in {@code SavedPaymentMethodIT}). It is the library's deliberate, bounded section, not
 * blocking I/O, so exactly the windows' {@code record} is allowed. Loaded by BlockHound in every test JVM that has this
 * module; never in production.
 */
public final class ResilienceMetricsAllowance implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "record")
                .allowBlockingCallsInside("io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics", "record");
    }
}
