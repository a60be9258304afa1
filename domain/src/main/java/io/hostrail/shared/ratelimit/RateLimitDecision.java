package io.hostrail.shared.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * What a bucket said to one request.
 *
 * @param allowed whether the request got a token
 * @param limit the bucket's capacity
 * @param remaining whole tokens left after this request
 * @param retryAfter when refused, how long until a token is available; zero when allowed
 * @param resetAfter how long until the bucket is full again if nobody takes from it
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, Duration retryAfter, Duration resetAfter) {

    public RateLimitDecision {
        Objects.requireNonNull(retryAfter, "retry after");
        Objects.requireNonNull(resetAfter, "reset after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (remaining < 0 || remaining > limit) {
            throw new IllegalArgumentException("remaining must be between 0 and the limit " + limit + ", was " + remaining);
        }
        if (resetAfter.isNegative()) {
            throw new IllegalArgumentException("reset after must not be negative, was " + resetAfter);
        }
        if (allowed && !retryAfter.isZero()) {
            throw new IllegalArgumentException("an allowed request has nothing to wait for, retry after was " + retryAfter);
        }
        if (!allowed && (remaining != 0 || retryAfter.isNegative() || retryAfter.isZero())) {
            throw new IllegalArgumentException("a refused request leaves no token and must wait a positive time, was "
                    + remaining + " remaining, retry after " + retryAfter);
        }
    }

    /** {@link #retryAfter()} in whole seconds, rounded up, as HTTP's Retry-After wants it. */
    public long retryAfterSeconds() {
        return ceilSeconds(retryAfter);
    }

    /** {@link #resetAfter()} in whole seconds, rounded up. */
    public long resetAfterSeconds() {
        return ceilSeconds(resetAfter);
    }

    private static long ceilSeconds(Duration duration) {
        return duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
    }
}
