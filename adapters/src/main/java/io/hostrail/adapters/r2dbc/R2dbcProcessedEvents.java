package io.hostrail.adapters.r2dbc;

import io.hostrail.shared.event.EventEnvelope;
import java.time.Clock;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/** Remembers which events each consumer has applied; the mark commits with the consumer's effect. */
public final class R2dbcProcessedEvents {

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcProcessedEvents(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** True when this is the first time {@code consumer} sees the event; false for a redelivery. */
    public Mono<Boolean> markProcessed(String consumer, EventEnvelope event) {
        return database.sql("""
                        INSERT INTO processed_event (consumer, event_id, tenant_id, processed_at)
                        VALUES (:consumer, :eventId, :tenantId, :processedAt)
                        ON CONFLICT (consumer, event_id) DO NOTHING
                        """)
                .bind("consumer", consumer)
                .bind("eventId", event.id())
                .bind("tenantId", event.tenantId())
                .bind("processedAt", clock.instant())
                .fetch().rowsUpdated()
                .map(inserted -> inserted == 1);
    }

    /** Marks older than every event Kafka may still redeliver are no longer needed. */
    public Mono<Long> deleteProcessedBefore(Instant cutoff) {
        return database.sql("DELETE FROM processed_event WHERE processed_at < :cutoff")
                .bind("cutoff", cutoff)
                .fetch().rowsUpdated();
    }
}
