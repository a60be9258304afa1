package io.hostrail.shared.ratelimit;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket: it holds at most {@code capacity} tokens and gains {@code refillTokens} every
 * {@code refillPeriod}, continuously (a third of the period brings a third of {@code refillTokens}).
 * Every request takes one token, so {@code capacity} is the burst and the refill rate the sustained
 * limit. A bucket nobody has touched is full.
 *
 * <p>The bounds keep buckets rate limits rather than quotas, and keep every bucket representable
 * exactly in whole numbers (see {@link BucketScale}).
 */
public record BucketSpec(long capacity, long refillTokens, Duration refillPeriod) {

    /** Most tokens a bucket may hold, and most it may gain per period. */
    public static final long MAX_TOKENS = 1_000_000_000L;

    /** Longest refill period, and longest an empty bucket may take to fill up again. */
    public static final Duration MAX_PERIOD = Duration.ofDays(366);

    public BucketSpec {
        Objects.requireNonNull(refillPeriod, "refill period");
        if (capacity < 1 || capacity > MAX_TOKENS) {
            throw new IllegalArgumentException("capacity must be between 1 and " + MAX_TOKENS + ", was " + capacity);
        }
        if (refillTokens < 1 || refillTokens > MAX_TOKENS) {
            throw new IllegalArgumentException(
                    "refill tokens must be between 1 and " + MAX_TOKENS + ", was " + refillTokens);
        }
        if (refillPeriod.isNegative() || refillPeriod.isZero() || refillPeriod.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException(
                    "refill period must be positive and at most " + MAX_PERIOD + ", was " + refillPeriod);
        }
        if (fillNanos(capacity, refillTokens, refillPeriod).compareTo(BigInteger.valueOf(MAX_PERIOD.toNanos())) > 0) {
            throw new IllegalArgumentException("an empty bucket of " + capacity + " tokens refilled at " + refillTokens
                    + " per " + refillPeriod + " would take longer than " + MAX_PERIOD + " to fill");
        }
    }

    /** A burst of {@code tokens}, then {@code tokens} per {@code period}: "100 per minute". */
    public static BucketSpec perPeriod(long tokens, Duration period) {
        return new BucketSpec(tokens, tokens, period);
    }

    /** How long an empty bucket takes to fill up, rounded up to whole nanoseconds. */
    public Duration timeToFill() {
        return Duration.ofNanos(fillNanos(capacity, refillTokens, refillPeriod).longValueExact());
    }

    private static BigInteger fillNanos(long capacity, long refillTokens, Duration refillPeriod) {
        BigInteger[] quotient = BigInteger.valueOf(capacity).multiply(BigInteger.valueOf(refillPeriod.toNanos()))
                .divideAndRemainder(BigInteger.valueOf(refillTokens));
        return quotient[1].signum() == 0 ? quotient[0] : quotient[0].add(BigInteger.ONE);
    }
}
