package io.hostrail.adapters.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Kafka record headers that let consumers route an event without parsing its body. */
final class EventHeaders {

    static final String EVENT_ID = "hostrail-event-id";
    static final String EVENT_TYPE = "hostrail-event-type";
    static final String TENANT_ID = "hostrail-tenant-id";
    static final String DEAD_LETTER_CONSUMER = "hostrail-dlt-consumer";
    static final String DEAD_LETTER_ERROR = "hostrail-dlt-error";
    static final String DEAD_LETTER_ATTEMPTS = "hostrail-dlt-attempts";

    private EventHeaders() {
    }

    static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
