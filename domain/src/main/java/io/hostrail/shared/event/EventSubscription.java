package io.hostrail.shared.event;

import java.util.Objects;

/**
 * A named consumer of events. The name identifies the consumer durably: it is the Kafka consumer
 * group and the key under which processed events are remembered, so renaming a subscription makes
 * it start afresh.
 */
public record EventSubscription(String name, EventTypePattern types, EventHandler handler) {

    public EventSubscription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(types, "types");
        Objects.requireNonNull(handler, "handler");
        if (!name.matches("[a-z][a-z0-9-]{1,62}")) {
            throw new IllegalArgumentException("subscription name '" + name + "' must be lower-case kebab-case");
        }
    }
}
