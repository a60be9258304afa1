package io.hostrail.api.health;

import io.hostrail.adapters.kafka.KafkaTopicsAdmin;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Kafka is up when a broker answers a cluster description within two seconds. */
@Component("kafka")
public class KafkaHealthIndicator implements ReactiveHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final KafkaTopicsAdmin admin;

    public KafkaHealthIndicator(KafkaTopicsAdmin admin) {
        this.admin = admin;
    }

    @Override
    public Mono<Health> health() {
        return admin.brokerIds(TIMEOUT)
                .map(brokers -> brokers.isEmpty()
                        ? Health.down().withDetail("brokers", 0).build()
                        : Health.up().withDetail("brokers", brokers.size()).build())
                .timeout(TIMEOUT.plusSeconds(1))
                .onErrorResume(e -> Mono.just(Health.down().withDetail("error", e.getClass().getSimpleName()).build()));
    }
}
