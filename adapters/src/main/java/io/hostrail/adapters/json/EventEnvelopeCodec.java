package io.hostrail.adapters.json;

import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.event.EventEnvelope;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The JSON wire form of {@link EventEnvelope}: the same bytes go to Kafka, SSE and webhooks. */
public final class EventEnvelopeCodec {

    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {};

    private final JsonMapper mapper;

    public EventEnvelopeCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The event's record components become the envelope's {@code data}. */
    public Map<String, Object> dataOf(DomainEvent event) {
        return mapper.convertValue(event, DATA);
    }

    public byte[] toBytes(EventEnvelope envelope) {
        return mapper.writeValueAsBytes(envelope);
    }

    /** A JSON array of the envelopes, each exactly as {@link #toBytes(EventEnvelope)} writes it. */
    public byte[] toBytes(List<EventEnvelope> envelopes) {
        return mapper.writeValueAsBytes(envelopes);
    }

    public String toJson(EventEnvelope envelope) {
        return mapper.writeValueAsString(envelope);
    }

    /** @throws MalformedEventException when the bytes are not a valid envelope */
    public EventEnvelope fromBytes(byte[] json) {
        try {
            return mapper.readValue(json, EventEnvelope.class);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("not a valid event envelope: " + e.getMessage(), e);
        }
    }

    public static final class MalformedEventException extends RuntimeException {

        public MalformedEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
