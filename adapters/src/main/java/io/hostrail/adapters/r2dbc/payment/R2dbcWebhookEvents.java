package io.hostrail.adapters.r2dbc.payment;

import io.hostrail.adapters.r2dbc.TenantPage;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.WebhookEvent;
import io.hostrail.payment.port.out.WebhookEvents;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcWebhookEvents implements WebhookEvents {

    private static final String COLUMNS = """
            id, tenant_id, provider, event_id, event_type, payload, received_at, status, outcome, attempts,
            processed_at""";

    private final DatabaseClient database;

    public R2dbcWebhookEvents(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<Boolean> insertIfAbsent(WebhookEvent e) {
        return database.sql("""
                        INSERT INTO webhook_event (id, tenant_id, provider, event_id, event_type, payload, received_at,
                            status, attempts)
                        VALUES (:id, :tenant, :provider, :eventId, :eventType, :payload, :receivedAt, :status, 0)
                        ON CONFLICT (tenant_id, provider, event_id) DO NOTHING
                        """)
                .bind("id", e.id()).bind("tenant", e.tenant().value()).bind("provider", e.provider().wireName())
                .bind("eventId", e.eventId()).bind("eventType", e.eventType()).bind("payload", e.payload())
                .bind("receivedAt", e.receivedAt()).bind("status", e.status().wireName())
                .fetch().rowsUpdated().map(inserted -> inserted == 1);
    }

    @Override
    public Mono<WebhookEvent> find(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM webhook_event WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcWebhookEvents::toEvent).one();
    }

    @Override
    public Mono<WebhookEvent> lock(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM webhook_event WHERE tenant_id = :tenant AND id = :id"
                        + " FOR NO KEY UPDATE")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcWebhookEvents::toEvent).one();
    }

    @Override
    public Mono<WebhookEvent> findByEventId(TenantId tenant, Payment.Provider provider, String eventId) {
        return database.sql("SELECT " + COLUMNS + " FROM webhook_event"
                        + " WHERE tenant_id = :tenant AND provider = :provider AND event_id = :eventId")
                .bind("tenant", tenant.value()).bind("provider", provider.wireName()).bind("eventId", eventId)
                .map(R2dbcWebhookEvents::toEvent).one();
    }

    @Override
    public Mono<Void> processed(WebhookEvent e) {
        GenericExecuteSpec spec = database.sql("""
                        UPDATE webhook_event SET status = :status, outcome = :outcome, attempts = :attempts,
                            processed_at = :processedAt
                        WHERE tenant_id = :tenant AND id = :id
                        """)
                .bind("status", e.status().wireName()).bind("attempts", e.attempts())
                .bind("tenant", e.tenant().value()).bind("id", e.id());
        spec = e.outcome() == null ? spec.bindNull("outcome", String.class) : spec.bind("outcome", e.outcome());
        spec = e.processedAt() == null ? spec.bindNull("processedAt", Instant.class)
                : spec.bind("processedAt", e.processedAt());
        return spec.fetch().rowsUpdated().then();
    }

    @Override
    public Flux<WebhookEvent> list(TenantId tenant, Query query) {
        return TenantPage.of(COLUMNS, "webhook_event", tenant)
                .where("provider = :provider", "provider", query.provider() == null ? null : query.provider().wireName())
                .where("status = :status", "status", query.status() == null ? null : query.status().wireName())
                .where("event_type = :type", "type", query.eventType())
                .after(database, query.afterId(), query.limit())
                .map(R2dbcWebhookEvents::toEvent).all();
    }

    private static WebhookEvent toEvent(Readable row) {
        return new WebhookEvent(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                Payment.Provider.fromWire(row.get("provider", String.class)), row.get("event_id", String.class),
                row.get("event_type", String.class), row.get("payload", String.class),
                row.get("received_at", Instant.class), WebhookEvent.Status.fromWire(row.get("status", String.class)),
                row.get("outcome", String.class), row.get("attempts", Integer.class),
                row.get("processed_at", Instant.class));
    }
}
