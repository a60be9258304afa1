package io.hostrail.adapters.r2dbc;

import io.hostrail.adapters.json.EventEnvelopeCodec;
import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.r2dbc.postgresql.codec.Json;
import java.time.Clock;
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
        return requireTransaction().then(Mono.fromCallable(() -> new EventEnvelope(
                        ids.newId(), event.type(), tenant.value(), event.aggregateId(), clock.instant(), source,
                        event.version(), codec.dataOf(event))))
                .flatMap(envelope -> database.sql("""
                                INSERT INTO outbox (id, tenant_id, aggregate_id, event_type, occurred_at, envelope)
                                VALUES (:id, :tenantId, :aggregateId, :type, :occurredAt, :envelope)
                                """)
                        .bind("id", envelope.id())
                        .bind("tenantId", envelope.tenantId())
                        .bind("aggregateId", envelope.aggregateId())
                        .bind("type", envelope.type())
                        .bind("occurredAt", envelope.occurredAt())
                        .bind("envelope", Json.of(codec.toBytes(envelope)))
                        .fetch()
                        .rowsUpdated()
                        .thenReturn(envelope));
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
