package io.hostrail.api.health;

import java.time.Duration;
import java.util.Properties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Redis backs only the shared rate limits. Without it every instance limits on its own and keeps
 * serving, so an outage is DEGRADED (answering 200), never DOWN: losing Redis must not take every
 * instance out of the load balancer.
 */
@Component("redis")
public class RedisHealthIndicator implements ReactiveHealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "Redis unreachable: rate limits are per instance");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisConnectionFactory connections;

    public RedisHealthIndicator(ReactiveRedisConnectionFactory connections) {
        this.connections = connections;
    }

    @Override
    public Mono<Health> health() {
        // Lettuce connects synchronously on first use: never on an event loop.
        return Mono.usingWhen(Mono.fromCallable(connections::getReactiveConnection),
                        connection -> connection.serverCommands().info("server"),
                        connection -> connection.closeLater())
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(TIMEOUT)
                .map(info -> Health.up().withDetail("version", version(info)).build())
                .onErrorResume(e -> Mono.just(Health.status(DEGRADED).withDetail("error", e.getClass().getSimpleName()).build()));
    }

    private static String version(Properties info) {
        return info.getProperty("redis_version", "unknown");
    }
}
