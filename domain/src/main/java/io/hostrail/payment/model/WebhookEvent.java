package io.hostrail.payment.model;

import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A provider's webhook delivery as it arrived: its raw body, kept before anything in it is acted on, under the
 * provider's event id (unique per provider within the tenant, so a delivery repeated is recognized), and how
 * processing it went. {@code outcome} says what processing did, or why it did nothing.
 */
public record WebhookEvent(UUID id, TenantId tenant, Payment.Provider provider, String eventId, String eventType,
        String payload, Instant receivedAt, Status status, String outcome, int attempts, Instant processedAt) {

    public static final int MAX_OUTCOME = 500;

    public enum Status {
        /** Stored, not processed yet. */
        RECEIVED,
        /** Processed: its effect is recorded (or it had none to have, as a late {@code processing} after success). */
        PROCESSED,
        /** A type Hostrail does not act on; kept and listed, never dropped. */
        UNHANDLED,
        /** Its effect could not be made (an invoice it names does not exist); replayable once fixed. */
        FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    public WebhookEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(status, "status");
        if (outcome != null && outcome.length() > MAX_OUTCOME) {
            outcome = outcome.substring(0, MAX_OUTCOME);
        }
    }

    public static WebhookEvent received(UUID id, TenantId tenant, Payment.Provider provider, String eventId,
            String eventType, String payload, Instant receivedAt) {
        return new WebhookEvent(id, tenant, provider, eventId, eventType, payload, receivedAt, Status.RECEIVED, null, 0,
                null);
    }
}
