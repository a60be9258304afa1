package io.hostrail.adapters.r2dbc;

import io.hostrail.adapters.json.EventEnvelopeCodec;
import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.r2dbc.postgresql.codec.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;

/** Records events in the {@code outbox} table, inside the caller's transaction and nowhere else. */
public final class OutboxDomainEvents implements DomainEvents {

    private static final String NOT_IN_TRANSACTION = "DomainEvents.record must run inside a UnitOfWork transaction";

    private final DatabaseClient database;
    private final EventEnvelopeCodec codec;
    private final IdGenerator ids;
    private final Clock clock;
    private final String source;
    private final Runnable afterCommit;

    /**
     * @param afterCommit run once a transaction that recorded events commits (wakes the relay, so an
     *     event does not wait for the next poll)
     */
    public OutboxDomainEvents(DatabaseClient database, EventEnvelopeCodec codec, IdGenerator ids, Clock clock,
            String source, Runnable afterCommit) {
        this.database = database;
        this.codec = codec;
        this.ids = ids;
        this.clock = clock;
        this.source = source;
        this.afterCommit = afterCommit;
    }

    @Override
    public Mono<EventEnvelope> record(TenantId tenant, DomainEvent event) {
        return requireTransaction().then(Mono.fromCallable(() -> envelope(tenant, event)))
                .flatMap(envelope -> insert(tenant, List.of(envelope)).thenReturn(envelope));
    }

    @Override
    public Mono<Void> recordAll(TenantId tenant, List<? extends DomainEvent> events) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        return requireTransaction()
                .then(Mono.fromCallable(() -> events.stream().map(event -> envelope(tenant, event)).toList()))
                .flatMap(envelopes -> insert(tenant, envelopes));
    }

    private EventEnvelope envelope(TenantId tenant, DomainEvent event) {
        return new EventEnvelope(ids.newId(), event.type(), tenant.value(), event.aggregateId(), clock.instant(), source,
                event.version(), codec.dataOf(event));
    }

    /**
     * One statement for any number of events: the envelopes travel as one JSON array, bytes as the codec wrote them, the
     * other columns as arrays in the same order (as text arrays, JSON would be escaped and re-encoded element by element).
     */
    private Mono<Void> insert(TenantId tenant, List<EventEnvelope> envelopes) {
        int n = envelopes.size();
        UUID[] ids = new UUID[n];
        UUID[] aggregates = new UUID[n];
        String[] types = new String[n];
        Instant[] occurred = new Instant[n];
        for (int i = 0; i < n; i++) {
            EventEnvelope envelope = envelopes.get(i);
            ids[i] = envelope.id();
            aggregates[i] = envelope.aggregateId();
            types[i] = envelope.type();
            occurred[i] = envelope.occurredAt();
        }
        return database.sql("""
                        INSERT INTO outbox (id, tenant_id, aggregate_id, event_type, occurred_at, envelope)
                        SELECT e.id, :tenantId, e.aggregate_id, e.event_type, e.occurred_at, body.envelope
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:aggregates AS uuid[]), CAST(:types AS text[]),
                            CAST(:occurred AS timestamptz[])) WITH ORDINALITY AS e (id, aggregate_id, event_type,
                            occurred_at, n)
                        JOIN jsonb_array_elements(CAST(:envelopes AS jsonb)) WITH ORDINALITY AS body (envelope, n)
                            USING (n)
                        """)
                .bind("tenantId", tenant.value()).bind("ids", ids).bind("aggregates", aggregates).bind("types", types)
                .bind("occurred", occurred).bind("envelopes", Json.of(codec.toBytes(envelopes)))
                .fetch().rowsUpdated().then();
    }

    /** An event recorded outside a transaction could be published for a change that never commits. */
    private Mono<Void> requireTransaction() {
        return TransactionSynchronizationManager.forCurrentTransaction()
                .filter(TransactionSynchronizationManager::isActualTransactionActive)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException(NOT_IN_TRANSACTION)))
                .onErrorMap(e -> !(e instanceof IllegalStateException), e -> new IllegalStateException(NOT_IN_TRANSACTION, e))
                .doOnNext(transaction -> transaction.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public Mono<Void> afterCommit() {
                        return Mono.fromRunnable(afterCommit);
                    }
                }))
                .then();
    }
}
