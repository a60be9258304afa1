package io.hostrail.adapters.redis;

import io.hostrail.shared.ratelimit.BucketSpec;
import io.hostrail.shared.ratelimit.LocalTokenBuckets;
import io.hostrail.shared.ratelimit.RateLimitDecision;
import io.hostrail.shared.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Rate limits that never take the API down with them. Each call goes to the shared limiter (Redis)
 * with a short timeout; if that fails or is slow, this instance's own buckets answer and the limiter
 * reports itself degraded, until a call to the shared limiter succeeds again.
 *
 * <p>While degraded, at most one call per probe interval tries the shared limiter; the others go
 * straight to the local buckets, so an outage adds no latency to requests. Each instance then limits
 * on its own: with N instances a client may get up to N times its limit until Redis is back.
 * Logs one WARN when the shared limiter is lost and one INFO when it is back, never one per request.
 */
public final class FailOpenRateLimiter implements RateLimiter {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(FailOpenRateLimiter.class);

    private final RateLimiter shared;
    private final RateLimiter local;
    private final Duration timeout;
    private final Duration probeInterval;
    private final Clock clock;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final AtomicReference<Instant> nextProbeAt = new AtomicReference<>(Instant.MIN);

    /** The shared limiter with a 100 ms timeout, falling back to local buckets, probing once a second while degraded. */
    public FailOpenRateLimiter(RateLimiter shared, Clock clock) {
        this(shared, new LocalTokenBuckets(clock), DEFAULT_TIMEOUT, DEFAULT_PROBE_INTERVAL, clock);
    }

    public FailOpenRateLimiter(RateLimiter shared, RateLimiter local, Duration timeout, Duration probeInterval, Clock clock) {
        this.shared = Objects.requireNonNull(shared, "shared limiter");
        this.local = Objects.requireNonNull(local, "local limiter");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.probeInterval = Objects.requireNonNull(probeInterval, "probe interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (probeInterval.isNegative()) {
            throw new IllegalArgumentException("probe interval must not be negative, was " + probeInterval);
        }
    }

    @Override
    public Mono<RateLimitDecision> tryConsume(String key, BucketSpec spec) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(spec, "spec");
        return Mono.defer(() -> {
            if (degraded.get() && !claimProbe()) {
                return local.tryConsume(key, spec);
            }
            return Mono.defer(() -> shared.tryConsume(key, spec))
                    .timeout(timeout)
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("the shared rate limiter answered nothing")))
                    .doOnNext(decision -> recover())
                    .onErrorResume(error -> {
                        degrade(error);
                        return local.tryConsume(key, spec);
                    });
        });
    }

    /** True while the shared limiter is unreachable and this instance's buckets answer; for health. */
    public boolean isDegraded() {
        return degraded.get();
    }

    private boolean claimProbe() {
        Instant due = nextProbeAt.get();
        Instant now = clock.instant();
        return !now.isBefore(due) && nextProbeAt.compareAndSet(due, now.plus(probeInterval));
    }

    private void degrade(Throwable error) {
        nextProbeAt.set(clock.instant().plus(probeInterval));
        if (degraded.compareAndSet(false, true)) {
            log.warn("Shared rate limiter unavailable ({}); each instance limits on its own until it is back", error.toString());
        }
    }

    private void recover() {
        if (degraded.compareAndSet(true, false)) {
            log.info("Shared rate limiter is back; rate limits are shared across instances again");
        }
    }
}
