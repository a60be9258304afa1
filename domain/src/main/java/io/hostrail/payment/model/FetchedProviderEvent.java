package io.hostrail.payment.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as the provider keeps it, fetched rather than pushed (catching up on missed webhooks). It is stored and
 * processed as a webhook delivery of it would be; {@code rawJson} is the event object exactly as the provider sent it.
 */
public record FetchedProviderEvent(String id, String type, Instant created, String rawJson) {

    public FetchedProviderEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(rawJson, "rawJson");
    }
}
