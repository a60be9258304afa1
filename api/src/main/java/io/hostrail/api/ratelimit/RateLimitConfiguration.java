package io.hostrail.api.ratelimit;

import io.hostrail.adapters.redis.FailOpenRateLimiter;
import io.hostrail.adapters.redis.RedisTokenBuckets;
import io.hostrail.api.error.ProblemResponseWriter;
import io.hostrail.shared.ratelimit.LocalTokenBuckets;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Rate limiting wiring: token buckets in Redis, shared by every instance, with this instance's own
 * buckets answering while Redis is unreachable; the web filter that applies them; and their health.
 */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

    /** Also the {@code RateLimiter} for anything else that needs a token bucket. */
    @Bean
    public FailOpenRateLimiter rateLimiter(ReactiveStringRedisTemplate redis, RateLimitProperties properties, Clock clock) {
        return new FailOpenRateLimiter(new OffloadedUntilConnected(new RedisTokenBuckets(redis)), new LocalTokenBuckets(clock),
                properties.redisTimeout(), FailOpenRateLimiter.DEFAULT_PROBE_INTERVAL, clock);
    }

    @Bean
    public RateLimitFilter rateLimitFilter(FailOpenRateLimiter rateLimiter, RateLimitProperties properties,
            ProblemResponseWriter problems) {
        return new RateLimitFilter(properties.enabled(), RouteGroups.of(properties.groups()),
                ClientAddresses.trusting(properties.trustedProxies()), rateLimiter, problems);
    }

    /** Named for the health endpoint: {@code /actuator/health/rateLimiting}. */
    @Bean("rateLimiting")
    public RedisRateLimitHealthIndicator rateLimitingHealthIndicator(FailOpenRateLimiter rateLimiter,
            RateLimitProperties properties) {
        return new RedisRateLimitHealthIndicator(rateLimiter, properties.enabled());
    }
}
