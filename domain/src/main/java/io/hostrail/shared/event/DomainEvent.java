package io.hostrail.shared.event;

import java.util.UUID;

/**
 * Something that happened to an aggregate, as the aggregate reports it. Implemented by records
 * whose components are the event's {@code data}; the envelope (id, time, tenant, source) is added
 * when the event is recorded in the outbox.
 */
public interface DomainEvent {

    /** Dotted, lower-case, past tense: {@code invoice.finalized}, {@code payment.succeeded}. */
    String type();

    /**
     * The aggregate the event belongs to. Kafka partitions by it, so one relay publishes an aggregate's
     * events in order; across instances, retries and redeliveries order is not guaranteed, so consumers
     * must not depend on it.
     */
    UUID aggregateId();

    /** Version of this event type's {@code data} schema; bumped on an incompatible change. */
    default int version() {
        return 1;
    }
}
