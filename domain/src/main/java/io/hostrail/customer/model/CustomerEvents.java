package io.hostrail.customer.model;

import io.hostrail.shared.event.DomainEvent;
import java.util.UUID;

/** What happens to customers, as published through the outbox. */
public final class CustomerEvents {

    private CustomerEvents() {
    }

    public record CustomerCreated(UUID aggregateId, String name, String email, String currency) implements DomainEvent {

        @Override
        public String type() {
            return "customer.created";
        }
    }

    public record CustomerUpdated(UUID aggregateId, String status, long customerVersion) implements DomainEvent {

        @Override
        public String type() {
            return "customer.updated";
        }
    }
}
