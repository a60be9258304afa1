package io.hostrail.api.payment;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.ProviderEvent;
import io.hostrail.payment.port.out.ProviderEventReader;
import io.hostrail.shared.model.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe events as Stripe sends them: {@code {id: "evt_…", object: "event", type, created, data: {object}}}, the
 * object being a PaymentIntent for {@code payment_intent.*} and a Dispute for {@code charge.dispute.created}. The
 * invoice is the {@code invoice_id} Hostrail puts in a PaymentIntent's metadata when it creates one.
 */
public final class JacksonProviderEventReader implements ProviderEventReader {

    private static final java.util.Set<String> ACTED_ON = java.util.Set.of("payment_intent.succeeded",
            "payment_intent.processing", "payment_intent.payment_failed", "charge.dispute.created",
            "charge.refunded", "refund.created", "refund.updated");
    /** A refund in these states gave money back, or is committed to (as a refund through the API is recorded). */
    private static final java.util.Set<String> REFUND_MADE = java.util.Set.of("succeeded", "pending");

    private final JsonMapper json;

    public JacksonProviderEventReader(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Identity identify(Payment.Provider provider, String payload) {
        return identity(tree(payload));
    }

    private static Identity identity(JsonNode event) {
        String id = text(event, "id");
        String type = text(event, "type");
        if (id == null || id.length() > 255 || !"event".equals(text(event, "object"))) {
            throw new IllegalArgumentException("it has no event id");
        }
        if (type == null || type.length() > 255) {
            throw new IllegalArgumentException("it has no type");
        }
        return new Identity(id, type);
    }

    @Override
    public boolean actsOn(Payment.Provider provider, String type) {
        return ACTED_ON.contains(type);
    }

    @Override
    public ProviderEvent read(Payment.Provider provider, String payload) {
        JsonNode event = tree(payload);
        Identity identity = identity(event);
        JsonNode object = event.path("data").path("object");
        String eventId = identity.eventId();
        return switch (identity.type()) {
            case "payment_intent.succeeded" -> new ProviderEvent.PaymentSucceeded(eventId, required(object, "id"),
                    invoiceId(object), money(object, "amount_received"),
                    Instant.ofEpochSecond(event.path("created").asLong()));
            case "payment_intent.processing" -> new ProviderEvent.PaymentProcessing(eventId, required(object, "id"),
                    invoiceId(object));
            case "payment_intent.payment_failed" -> {
                JsonNode error = object.path("last_payment_error");
                String code = text(error, "decline_code") != null ? text(error, "decline_code") : text(error, "code");
                yield new ProviderEvent.PaymentFailed(eventId, required(object, "id"), invoiceId(object),
                        code == null ? "unknown" : code, text(error, "message"));
            }
            case "charge.dispute.created" -> new ProviderEvent.DisputeOpened(eventId, required(object, "payment_intent"),
                    money(object, "amount"), text(object, "reason"));
            // A Refund object; refund.updated repeats it as its status moves, and the reference keeps it recorded once.
            case "refund.created", "refund.updated" -> new ProviderEvent.Refunded(eventId,
                    required(object, "payment_intent"), refunds(List.of(object)));
            // A Charge; refunds.data lists its refunds only on API versions before 2022-11-15 (later ones send the
            // refund.* events, which are read above).
            case "charge.refunded" -> new ProviderEvent.Refunded(eventId, required(object, "payment_intent"),
                    refunds(object.path("refunds").path("data").values()));
            // ACTED_ON lists the cases above.
            default -> new ProviderEvent.Unhandled(eventId, identity.type());
        };
    }

    private static List<ProviderEvent.Refund> refunds(Iterable<JsonNode> refunds) {
        List<ProviderEvent.Refund> made = new ArrayList<>();
        for (JsonNode refund : refunds) {
            if (REFUND_MADE.contains(String.valueOf(text(refund, "status")))) {
                made.add(new ProviderEvent.Refund(required(refund, "id"), money(refund, "amount"),
                        text(refund, "reason") == null ? null : "Refunded at Stripe: " + text(refund, "reason"),
                        uuid(text(refund.path("metadata"), "hostrail_refund_id"))));
            }
        }
        return made;
    }

    private JsonNode tree(String payload) {
        try {
            JsonNode tree = json.readTree(payload);
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("it is not a JSON object");
            }
            return tree;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("it is not JSON");
        }
    }

    private static UUID invoiceId(JsonNode object) {
        return uuid(text(object.path("metadata"), "invoice_id"));
    }

    private static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Money money(JsonNode object, String field) {
        JsonNode amount = object.path(field);
        String currency = text(object, "currency");
        if (!amount.canConvertToLong() || currency == null) {
            throw new IllegalArgumentException(field + " and currency are required");
        }
        return Money.ofMinor(amount.asLong(), currency.toUpperCase(Locale.ROOT));
    }

    private static String required(JsonNode object, String field) {
        String value = text(object, field);
        if (value == null) {
            throw new IllegalArgumentException("data.object." + field + " is required");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }
}
