package io.hostrail.shared.event;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The versioned wire form of every event Hostrail publishes: to Kafka, SSE streams, outgoing
 * webhooks and the audit trail alike. {@code id} is unique per event and is what consumers
 * deduplicate on.
 */
public record EventEnvelope(
        UUID id,
        String type,
        UUID tenantId,
        UUID aggregateId,
        Instant occurredAt,
        String source,
        int version,
        Map<String, Object> data) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(source, "source");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("event type '" + type + "' is not of the form 'aggregate.past_tense'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("event version must be at least 1");
        }
        // Not Map.copyOf: an optional field of an event may legitimately be null.
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static boolean isValidType(String type) {
        return type != null && TYPE.matcher(type).matches();
    }
}
