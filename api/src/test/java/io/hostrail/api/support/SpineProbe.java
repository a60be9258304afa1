package io.hostrail.api.support;

import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.event.EventSubscription;
import io.hostrail.shared.event.EventTypePattern;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * A consumer of {@code probe.*} events whose effect is a row in {@code probe_effect} (a test-only
 * migration), written in the
 * consumer's transaction. The table has no unique key on purpose: applying an event twice would show
 * as two rows. An event's data can ask the handler to fail a number of times, or always.
 */
public final class SpineProbe {

    public static final String SUBSCRIPTION = "spine-probe";

    /** A test event: {@code failures} is how many times the consumer fails before succeeding (-1: always). */
    public record ProbeHappened(UUID aggregateId, String label, int failures) implements DomainEvent {

        @Override
        public String type() {
            return "probe.happened";
        }
    }

    private final Map<UUID, AtomicInteger> invocations = new ConcurrentHashMap<>();

    public int invocations(UUID eventId) {
        AtomicInteger count = invocations.get(eventId);
        return count == null ? 0 : count.get();
    }

    Mono<Void> apply(DatabaseClient database, EventEnvelope event) {
        int attempt = invocations.computeIfAbsent(event.id(), id -> new AtomicInteger()).incrementAndGet();
        int failures = ((Number) event.data().getOrDefault("failures", 0)).intValue();
        Mono<Void> effect = database.sql("INSERT INTO probe_effect (event_id, aggregate_id, label) VALUES (:id, :aggregate, :label)")
                .bind("id", event.id())
                .bind("aggregate", event.aggregateId())
                .bind("label", String.valueOf(event.data().get("label")))
                .fetch().rowsUpdated().then();
        if (failures < 0 || attempt <= failures) {
            // The effect is written, then the handler fails: the rollback must undo the write.
            return effect.then(Mono.error(new IllegalStateException("probe failure " + attempt + " for " + event.id())));
        }
        return effect;
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        SpineProbe spineProbe() {
            return new SpineProbe();
        }

        @Bean
        EventSubscription spineProbeSubscription(SpineProbe probe, DatabaseClient database) {
            return new EventSubscription(SUBSCRIPTION, EventTypePattern.parse("probe.*"), event -> probe.apply(database, event));
        }
    }
}
