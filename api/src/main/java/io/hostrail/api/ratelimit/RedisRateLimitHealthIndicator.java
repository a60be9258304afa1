package io.hostrail.api.ratelimit;

import io.hostrail.adapters.redis.FailOpenRateLimiter;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

/**
 * Whether rate limits are shared across instances. {@code DEGRADED}, not {@code DOWN}, while Redis is
 * unreachable: the API still serves, each instance limiting on its own, so a client may get up to N
 * times its limit with N instances. The state is the limiter's own, updated by requests: with no
 * traffic it changes only when the next limited request tries Redis.
 */
public final class RedisRateLimitHealthIndicator implements ReactiveHealthIndicator {

    /** Serving, with less than full function. Not in Spring Boot's default status order: see application.yaml. */
    public static final Status DEGRADED = new Status("DEGRADED", "Redis is unreachable; each instance limits on its own");

    private final FailOpenRateLimiter limiter;
    private final boolean enabled;

    public RedisRateLimitHealthIndicator(FailOpenRateLimiter limiter, boolean enabled) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.enabled = enabled;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> {
            if (!enabled) {
                return Health.up().withDetail("mode", "disabled").build();
            }
            return limiter.isDegraded()
                    ? Health.status(DEGRADED).withDetail("mode", "local limits").build()
                    : Health.up().withDetail("mode", "shared limits").build();
        });
    }
}
