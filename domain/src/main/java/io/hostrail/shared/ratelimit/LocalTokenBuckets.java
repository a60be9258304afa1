package io.hostrail.shared.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;

/**
 * Token buckets in this JVM's memory: the limiter of a single instance, and the stand-in while the
 * shared one is unreachable. Each call is a short computation under the key's map-bin lock, with no
 * I/O, so it answers on the caller's thread, event loops included.
 *
 * <p>Memory is bounded. A bucket left alone until it is full again is the same as no bucket, so such
 * buckets are dropped by a sweep that runs at most once a second of clock time. If more than
 * {@code maxBuckets} remain, the ones that would be full soonest go first (down to 90 % of the cap):
 * forgetting those lets the fewest extra requests through.
 */
public final class LocalTokenBuckets implements RateLimiter {

    public static final int DEFAULT_MAX_BUCKETS = 100_000;

    /** Room for a level plus one refill without overflowing a long. */
    private static final long MAX_UNITS = Long.MAX_VALUE / 4;
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final Clock clock;
    private final Instant origin;
    private final int maxBuckets;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long nextSweepAt;

    public LocalTokenBuckets(Clock clock) {
        this(clock, DEFAULT_MAX_BUCKETS);
    }

    public LocalTokenBuckets(Clock clock, int maxBuckets) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("max buckets must be at least 1, was " + maxBuckets);
        }
        this.maxBuckets = maxBuckets;
        this.origin = clock.instant();
        this.nextSweepAt = SWEEP_INTERVAL_NANOS;
    }

    @Override
    public Mono<RateLimitDecision> tryConsume(String key, BucketSpec spec) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(spec, "spec");
        return Mono.fromSupplier(() -> consume(key, spec));
    }

    /** How many buckets are held now; never much above {@code maxBuckets}. */
    public int size() {
        return buckets.size();
    }

    private RateLimitDecision consume(String key, BucketSpec spec) {
        BucketScale scale = BucketScale.of(spec, 1, MAX_UNITS);
        long now = Duration.between(origin, clock.instant()).toNanos();
        Bucket bucket = buckets.compute(key, (k, previous) -> Bucket.take(previous, scale, now));
        RateLimitDecision decision = bucket.decision(now);
        housekeep(now);
        return decision;
    }

    private void housekeep(long now) {
        if (now < nextSweepAt && buckets.size() <= maxBuckets || !sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            nextSweepAt = now + SWEEP_INTERVAL_NANOS;
            // Conditional removals: a bucket updated meanwhile is a different value and stays.
            buckets.entrySet().removeIf(entry -> entry.getValue().fullAt() <= now);
            int excess = buckets.size() - maxBuckets;
            if (excess > 0) {
                evictSoonestFull(excess + maxBuckets / 10);
            }
        } finally {
            sweeping.set(false);
        }
    }

    private void evictSoonestFull(int count) {
        List<Map.Entry<String, Bucket>> entries = new ArrayList<>(buckets.entrySet());
        entries.sort(Comparator.comparingLong(entry -> entry.getValue().fullAt()));
        for (Map.Entry<String, Bucket> entry : entries.subList(0, Math.min(count, entries.size()))) {
            buckets.remove(entry.getKey(), entry.getValue());
        }
    }

    /**
     * A bucket just after a request: its level in units, the instant (ns since the limiter's origin)
     * up to which refill has been counted, whether the request took a token, and when it will be full.
     */
    private record Bucket(BucketScale scale, long units, long countedUntil, boolean tookToken, long fullAt) {

        static Bucket take(Bucket previous, BucketScale scale, long now) {
            long units = scale.capacityUnits();
            long countedUntil = now;
            if (previous != null) {
                long kept = previous.scale.equals(scale) ? previous.units : rescaled(previous, scale);
                // A clock that steps back refills nothing; refill counts on from the new now.
                long since = Math.min(previous.countedUntil, now);
                long ticks = (now - since) / scale.tickNanos();
                long missing = scale.capacityUnits() - kept;
                if (missing > 0 && ticks < Math.ceilDiv(missing, scale.unitsPerTick())) {
                    units = kept + ticks * scale.unitsPerTick();
                    countedUntil = since + ticks * scale.tickNanos();
                }
            }
            boolean took = units >= scale.unitsPerToken();
            if (took) {
                units -= scale.unitsPerToken();
            }
            long fullAt = now + nanosUntil(scale, scale.capacityUnits() - units, now - countedUntil);
            return new Bucket(scale, units, countedUntil, took, fullAt);
        }

        RateLimitDecision decision(long now) {
            Duration retryAfter = tookToken
                    ? Duration.ZERO
                    : Duration.ofNanos(nanosUntil(scale, scale.unitsPerToken() - units, now - countedUntil));
            return new RateLimitDecision(tookToken, scale.capacityUnits() / scale.unitsPerToken(),
                    units / scale.unitsPerToken(), retryAfter, Duration.ofNanos(fullAt - now));
        }

        /** Time until {@code needed} more units have flowed in, a part-tick of {@code intoTick} having passed. */
        private static long nanosUntil(BucketScale scale, long needed, long intoTick) {
            return needed <= 0 ? 0 : Math.ceilDiv(needed, scale.unitsPerTick()) * scale.tickNanos() - intoTick;
        }

        /** The same share of a token in another spec's units, at most a full bucket. */
        private static long rescaled(Bucket previous, BucketScale scale) {
            double tokens = (double) previous.units / previous.scale.unitsPerToken();
            return Math.min(scale.capacityUnits(), (long) Math.floor(tokens * scale.unitsPerToken()));
        }
    }
}
