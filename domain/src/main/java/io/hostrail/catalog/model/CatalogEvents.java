package io.hostrail.catalog.model;

import io.hostrail.shared.event.DomainEvent;
import java.util.UUID;

/** What happens to the catalog, as published through the outbox. */
public final class CatalogEvents {

    private CatalogEvents() {
    }

    public record ProductCreated(UUID aggregateId, String kind, String name, String status) implements DomainEvent {

        @Override
        public String type() {
            return "product.created";
        }
    }

    public record ProductUpdated(UUID aggregateId, String status, long productVersion) implements DomainEvent {

        @Override
        public String type() {
            return "product.updated";
        }
    }
}
