package io.hostrail.shared.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventEnvelopeTest {

    private static final UUID ID = UUID.fromString("01959a3c-2f4d-7000-8000-000000000001");
    private static final UUID TENANT = UUID.fromString("01959a3c-2f4d-7000-8000-0000000000aa");
    private static final UUID AGGREGATE = UUID.fromString("01959a3c-2f4d-7000-8000-0000000000bb");
    private static final Instant OCCURRED_AT = Instant.parse("2025-03-14T09:26:53Z");
    private static final String SOURCE = "billing";

    @Test
    void holdsWhatItWasGiven() {
        EventEnvelope envelope = new EventEnvelope(
                ID, "invoice.finalized", TENANT, AGGREGATE, OCCURRED_AT, SOURCE, 2, Map.of("total", 1234L));

        assertThat(envelope.id()).isEqualTo(ID);
        assertThat(envelope.type()).isEqualTo("invoice.finalized");
        assertThat(envelope.tenantId()).isEqualTo(TENANT);
        assertThat(envelope.aggregateId()).isEqualTo(AGGREGATE);
        assertThat(envelope.occurredAt()).isEqualTo(OCCURRED_AT);
        assertThat(envelope.source()).isEqualTo(SOURCE);
        assertThat(envelope.version()).isEqualTo(2);
        assertThat(envelope.data()).containsExactlyEntriesOf(Map.of("total", 1234L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"invoice.finalized", "invoice.line.added", "payment.succeeded", "service_plan.changed_v2"})
    void acceptsDottedLowerCaseTypes(String type) {
        assertThat(envelopeOfType(type).type()).isEqualTo(type);
        assertThat(EventEnvelope.isValidType(type)).isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"InvoiceFinalized", "invoice", "invoice.", ".finalized", "invoice..finalized",
            "Invoice.finalized", "invoice.Finalized", "invoice.final-ized", "invoice finalized", "1nvoice.finalized", ""})
    void refusesTypesThatAreNotDottedLowerCase(String type) {
        assertThatThrownBy(() -> envelopeOfType(type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(type);
        assertThat(EventEnvelope.isValidType(type)).isFalse();
    }

    @Test
    void saysANullTypeIsNotValid() {
        assertThat(EventEnvelope.isValidType(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void refusesVersionsBelowOne(int version) {
        assertThatThrownBy(() -> new EventEnvelope(
                ID, "invoice.finalized", TENANT, AGGREGATE, OCCURRED_AT, SOURCE, version, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
    }

    @Test
    void keepsItsOwnCopyOfTheData() {
        Map<String, Object> data = new HashMap<>();
        data.put("total", 1234L);
        EventEnvelope envelope = new EventEnvelope(
                ID, "invoice.finalized", TENANT, AGGREGATE, OCCURRED_AT, SOURCE, 1, data);

        data.put("total", 0L);
        data.put("sneaked_in", true);

        assertThat(envelope.data()).containsExactlyEntriesOf(Map.of("total", 1234L));
    }

    @Test
    void doesNotLetItsDataBeChanged() {
        EventEnvelope envelope = envelopeOfType("invoice.finalized");

        assertThatThrownBy(() -> envelope.data().put("total", 0L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void treatsMissingDataAsEmpty() {
        EventEnvelope envelope = new EventEnvelope(
                ID, "invoice.finalized", TENANT, AGGREGATE, OCCURRED_AT, SOURCE, 1, null);

        assertThat(envelope.data()).isEmpty();
    }

    @Test
    void refusesMissingRequiredFields() {
        String type = "invoice.finalized";
        Map<String, Object> data = Map.of();

        assertThatThrownBy(() -> new EventEnvelope(null, type, TENANT, AGGREGATE, OCCURRED_AT, SOURCE, 1, data))
                .isInstanceOf(NullPointerException.class).hasMessage("id");
        assertThatThrownBy(() -> new EventEnvelope(ID, null, TENANT, AGGREGATE, OCCURRED_AT, SOURCE, 1, data))
                .isInstanceOf(NullPointerException.class).hasMessage("type");
        assertThatThrownBy(() -> new EventEnvelope(ID, type, null, AGGREGATE, OCCURRED_AT, SOURCE, 1, data))
                .isInstanceOf(NullPointerException.class).hasMessage("tenantId");
        assertThatThrownBy(() -> new EventEnvelope(ID, type, TENANT, null, OCCURRED_AT, SOURCE, 1, data))
                .isInstanceOf(NullPointerException.class).hasMessage("aggregateId");
        assertThatThrownBy(() -> new EventEnvelope(ID, type, TENANT, AGGREGATE, null, SOURCE, 1, data))
                .isInstanceOf(NullPointerException.class).hasMessage("occurredAt");
        assertThatThrownBy(() -> new EventEnvelope(ID, type, TENANT, AGGREGATE, OCCURRED_AT, null, 1, data))
                .isInstanceOf(NullPointerException.class).hasMessage("source");
    }

    @Test
    void isEqualToAnEnvelopeWithTheSameContent() {
        Map<String, Object> data = new HashMap<>(Map.of("total", 1234L));
        EventEnvelope one = new EventEnvelope(ID, "invoice.finalized", TENANT, AGGREGATE, OCCURRED_AT, SOURCE, 1, data);
        EventEnvelope other = new EventEnvelope(
                ID, "invoice.finalized", TENANT, AGGREGATE, OCCURRED_AT, SOURCE, 1, Map.of("total", 1234L));

        assertThat(one).isEqualTo(other).hasSameHashCodeAs(other);
    }

    private static EventEnvelope envelopeOfType(String type) {
        return new EventEnvelope(ID, type, TENANT, AGGREGATE, OCCURRED_AT, SOURCE, 1, Map.of());
    }

    @Test
    void keepsNullValuesOfOptionalEventFields() {
        java.util.Map<String, Object> data = new java.util.HashMap<>();
        data.put("couponCode", null);

        EventEnvelope envelope = new EventEnvelope(ID, "invoice.finalized", TENANT, AGGREGATE, OCCURRED_AT, SOURCE, 1, data);

        assertThat(envelope.data()).containsEntry("couponCode", null);
    }
}
