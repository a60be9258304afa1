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
    private static final java.util.Set<String> PAYPAL_ACTED_ON = java.util.Set.of("PAYMENT.CAPTURE.COMPLETED",
            "PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.DECLINED", "PAYMENT.CAPTURE.PENDING", "PAYMENT.CAPTURE.REFUNDED",
            "CUSTOMER.DISPUTE.CREATED");
    /** A refund in these states gave money back, or is committed to (as a refund through the API is recorded). */
    private static final java.util.Set<String> REFUND_MADE = java.util.Set.of("succeeded", "pending");

    private final JsonMapper json;

    public JacksonProviderEventReader(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Identity identify(Payment.Provider provider, String payload) {
        return provider == Payment.Provider.PAYPAL ? payPalIdentity(tree(payload)) : identity(tree(payload));
    }

    /** PayPal's {@code {id: "WH-…", event_type, resource_type, resource, create_time}}. */
    private static Identity payPalIdentity(JsonNode event) {
        String id = text(event, "id");
        String type = text(event, "event_type");
        if (id == null || id.length() > 255) {
            throw new IllegalArgumentException("it has no event id");
        }
        if (type == null || type.length() > 255 || !event.path("resource").isObject()) {
            throw new IllegalArgumentException("it has no event_type and resource");
        }
        return new Identity(id, type);
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
        return (provider == Payment.Provider.PAYPAL ? PAYPAL_ACTED_ON : ACTED_ON).contains(type);
    }

    @Override
    public ProviderEvent read(Payment.Provider provider, String payload) {
        return provider == Payment.Provider.PAYPAL ? readPayPal(payload) : readStripe(payload);
    }

    /**
     * PayPal's capture events carry a Capture ({@code id}, {@code amount: {currency_code, value}}, and the
     * {@code invoice_id} Hostrail set on the order's purchase unit, with our attempt id as {@code custom_id});
     * {@code PAYMENT.CAPTURE.REFUNDED} a Refund, whose {@code up} link names the capture; a dispute its disputed
     * transactions, the seller's being the capture.
     */
    private ProviderEvent readPayPal(String payload) {
        JsonNode event = tree(payload);
        Identity identity = payPalIdentity(event);
        JsonNode resource = event.path("resource");
        String eventId = identity.eventId();
        return switch (identity.type()) {
            case "PAYMENT.CAPTURE.COMPLETED" -> new ProviderEvent.PaymentSucceeded(eventId, required(resource, "id"),
                    payPalInvoice(resource), payPalMoney(resource.path("amount")), payPalTime(resource, event));
            case "PAYMENT.CAPTURE.PENDING" -> new ProviderEvent.PaymentProcessing(eventId, required(resource, "id"),
                    payPalInvoice(resource));
            case "PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.DECLINED" -> {
                String reason = text(resource.path("status_details"), "reason");
                yield new ProviderEvent.PaymentFailed(eventId, required(resource, "id"), payPalInvoice(resource),
                        reason == null ? identity.type().substring("PAYMENT.CAPTURE.".length()) : reason,
                        text(event, "summary"));
            }
            case "PAYMENT.CAPTURE.REFUNDED" -> {
                String capture = null;
                for (JsonNode link : resource.path("links").values()) {
                    String href = text(link, "href");
                    if ("up".equals(text(link, "rel")) && href != null && href.contains("/captures/")) {
                        capture = href.substring(href.lastIndexOf('/') + 1);
                    }
                }
                if (capture == null) {
                    throw new IllegalArgumentException("resource.links has no 'up' link to the refunded capture");
                }
                String status = String.valueOf(text(resource, "status"));
                String note = text(resource, "note_to_payer");
                yield new ProviderEvent.Refunded(eventId, capture, status.equals("COMPLETED")
                        || status.equals("PENDING") ? List.of(new ProviderEvent.Refund(required(resource, "id"),
                        payPalMoney(resource.path("amount")), note == null ? null : "Refunded at PayPal: " + note,
                        uuid(text(resource, "custom_id")))) : List.of());
            }
            case "CUSTOMER.DISPUTE.CREATED" -> {
                JsonNode disputed = resource.path("disputed_transactions").path(0);
                String capture = text(disputed, "seller_transaction_id");
                if (capture == null) {
                    throw new IllegalArgumentException("resource.disputed_transactions[0].seller_transaction_id is"
                            + " required");
                }
                yield new ProviderEvent.DisputeOpened(eventId, capture, payPalMoney(resource.path("dispute_amount")),
                        text(resource, "reason"));
            }
            // PAYPAL_ACTED_ON lists the cases above.
            default -> new ProviderEvent.Unhandled(eventId, identity.type());
        };
    }

    private static UUID payPalInvoice(JsonNode resource) {
        UUID invoice = uuid(text(resource, "invoice_id"));
        return invoice != null ? invoice : uuid(text(resource, "custom_id"));
    }

    private static Money payPalMoney(JsonNode amount) {
        String value = text(amount, "value");
        String currency = text(amount, "currency_code");
        if (value == null || currency == null) {
            throw new IllegalArgumentException("amount.value and amount.currency_code are required");
        }
        try {
            return Money.parse(value, currency);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("amount " + value + " " + currency + " is not an amount");
        }
    }

    private static Instant payPalTime(JsonNode resource, JsonNode event) {
        String time = text(resource, "create_time") != null ? text(resource, "create_time") : text(event, "create_time");
        try {
            if (time == null) {
                throw new IllegalArgumentException("resource.create_time is required");
            }
            return Instant.parse(time);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("create_time " + time + " is not a time");
        }
    }

    private ProviderEvent readStripe(String payload) {
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
