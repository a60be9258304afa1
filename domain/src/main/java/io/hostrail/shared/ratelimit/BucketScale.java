package io.hostrail.shared.ratelimit;

import java.util.Objects;

/**
 * A {@link BucketSpec} in whole numbers, so that a bucket's level is an integer and never drifts: a
 * token is {@code unitsPerToken} units, {@code unitsPerTick} units flow in every {@code tickNanos}
 * nanoseconds, and {@code capacityUnits} units fill the bucket.
 *
 * <p>Fractions of a token are kept, not rounded away, so refill is continuous: a bucket read every
 * tick fills exactly as fast as one read once a minute. The scale is exact whenever the refill rate,
 * in lowest terms, fits under {@code maxUnits} at some tick between {@code finestTickNanos} and a
 * millisecond; that covers the usual "N per second/minute/hour/day" specs. For the rest the rate is
 * rounded to whole units per tick, off by less than 0.02 % for every valid {@code BucketSpec}.
 */
public record BucketScale(long capacityUnits, long unitsPerToken, long unitsPerTick, long tickNanos) {

    /** The least {@code maxUnits} that keeps every valid spec representable and rounded rates within 0.02 %. */
    public static final long MIN_MAX_UNITS = 1L << 50;

    private static final long MILLISECOND = 1_000_000;

    public BucketScale {
        if (unitsPerToken < 1 || unitsPerTick < 1 || tickNanos < 1 || capacityUnits < unitsPerToken) {
            throw new IllegalArgumentException("a bucket scale needs positive units and a capacity of at least one token: "
                    + capacityUnits + " capacity units, " + unitsPerToken + " per token, " + unitsPerTick + " per tick of "
                    + tickNanos + " ns");
        }
    }

    /**
     * The scale for {@code spec} whose tick is a multiple of {@code finestTickNanos} (the store's
     * clock resolution) and whose unit counts stay at or below {@code maxUnits} (the store's largest
     * exact integer: 2^53 in Lua, less than {@code Long.MAX_VALUE} with room for sums in Java).
     */
    public static BucketScale of(BucketSpec spec, long finestTickNanos, long maxUnits) {
        Objects.requireNonNull(spec, "spec");
        if (finestTickNanos < 1 || finestTickNanos > MILLISECOND) {
            throw new IllegalArgumentException("finest tick must be between 1 ns and 1 ms, was " + finestTickNanos);
        }
        if (maxUnits < MIN_MAX_UNITS) {
            throw new IllegalArgumentException("max units must be at least " + MIN_MAX_UNITS + ", was " + maxUnits);
        }
        long periodNanos = spec.refillPeriod().toNanos();
        // The rate in lowest terms: refillTokens tokens per periodNanos, as `tokens` per `period`.
        long common = gcd(spec.refillTokens(), periodNanos);
        long tokens = spec.refillTokens() / common;
        long period = periodNanos / common;
        long maxPerToken = maxUnits / spec.capacity();

        // With one token = period / gcd(tick, period) units, a tick brings tokens * tick / gcd(tick, period)
        // units: a whole number. The finest tick that fits gives the smoothest refill.
        long tick = finestTickNanos;
        while (true) {
            long shared = gcd(tick, period);
            long perToken = period / shared;
            long tickShare = tick / shared;
            if (perToken <= maxPerToken && tickShare <= maxUnits / tokens) {
                return new BucketScale(spec.capacity() * perToken, perToken, tokens * tickShare, tick);
            }
            if (tick * 10 > MILLISECOND) {
                break;
            }
            tick *= 10;
        }

        // No exact fit: as many units per token as fit, and the rate rounded at the coarsest tick tried.
        double perTick = (double) spec.refillTokens() * tick / periodNanos * maxPerToken;
        long roundedPerTick = Math.max(1, Math.min(maxUnits, Math.round(perTick)));
        return new BucketScale(spec.capacity() * maxPerToken, maxPerToken, roundedPerTick, tick);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
