package io.hostrail.shared.port.out;

import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.TenantId;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Records events in the transactional outbox. Must be called inside a {@link UnitOfWork}: the event
 * is published only if the surrounding transaction commits, and is then never lost.
 */
public interface DomainEvents {

    Mono<EventEnvelope> record(TenantId tenant, DomainEvent event);

    /** Records the events in the order given, as {@link #record} would one by one, in one go: for batches. */
    Mono<Void> recordAll(TenantId tenant, List<? extends DomainEvent> events);
}
