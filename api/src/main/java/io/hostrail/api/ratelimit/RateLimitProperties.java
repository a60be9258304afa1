package io.hostrail.api.ratelimit;

import io.hostrail.shared.ratelimit.BucketSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.rate-limits.*}: token buckets per route group and per subject. Defaults live in
 * application.yaml; the ones here only keep the application starting, with limits off, where that
 * file has no {@code rate-limits} section.
 *
 * @param enabled off: no request is limited and Redis is never asked
 * @param redisTimeout longest wait for Redis before this instance's own buckets answer instead
 * @param trustedProxies addresses or CIDR ranges of the reverse proxies in front of the API; only when
 *     the connection comes from one of them is {@code X-Forwarded-For} believed
 * @param groups route groups; a request belongs to the first that matches it, or to none
 */
@Validated
@ConfigurationProperties("hostrail.rate-limits")
public record RateLimitProperties(
        boolean enabled,
        @NotNull @DefaultValue("100ms") Duration redisTimeout,
        @NotNull @DefaultValue List<@NotBlank String> trustedProxies,
        @NotNull @DefaultValue List<@Valid @NotNull RouteGroup> groups) {

    public RateLimitProperties {
        if (redisTimeout != null && (redisTimeout.isNegative() || redisTimeout.isZero())) {
            throw new IllegalArgumentException("hostrail.rate-limits.redis-timeout must be positive, was " + redisTimeout);
        }
    }

    /**
     * Routes limited together. A group without any limit is allowed: it exempts its routes from the
     * groups after it.
     *
     * @param name part of every bucket key, so renaming a group starts its buckets afresh
     * @param pathPatterns {@code PathPattern} syntax, e.g. {@code /api/v1/auth/login} or {@code /api/**}
     * @param methods HTTP methods the group covers; empty: all
     * @param perIp the bucket of each client address (IPv6: each /64); absent: no per-address limit
     * @param perUser the bucket of each signed-in user; absent: no per-user limit
     * @param perApiKey the bucket of each API key; absent: no per-key limit
     */
    public record RouteGroup(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be lower-case kebab-case") String name,
            @NotEmpty List<@NotBlank String> pathPatterns,
            List<@Pattern(regexp = "[A-Za-z]+") String> methods,
            @Valid Bucket perIp,
            @Valid Bucket perUser,
            @Valid Bucket perApiKey) {

        public RouteGroup {
            methods = methods == null ? List.of() : List.copyOf(methods);
        }
    }

    /**
     * A token bucket: a burst of {@code capacity}, refilled by {@code refillTokens} every
     * {@code refillPeriod}, continuously.
     */
    public record Bucket(
            @Min(1) @Max(BucketSpec.MAX_TOKENS) long capacity,
            @Min(1) @Max(BucketSpec.MAX_TOKENS) long refillTokens,
            @NotNull Duration refillPeriod) {

        /** Fails with the reason when the bucket is out of range (a period over a year, say). */
        public BucketSpec toSpec() {
            return new BucketSpec(capacity, refillTokens, refillPeriod);
        }
    }
}
