package io.hostrail.webclient.paypal;

import static io.hostrail.webclient.paypal.PayPalApi.payPalAccount;
import static io.hostrail.webclient.paypal.PayPalApi.requestId;
import static io.hostrail.webclient.support.JsonFields.text;

import io.hostrail.payment.model.ChargeRequest;
import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.GatewayAccount.PayPalAccount;
import io.hostrail.payment.model.PaymentOutcome;
import io.hostrail.payment.model.PaymentOutcome.Declined;
import io.hostrail.payment.model.PaymentOutcome.Pending;
import io.hostrail.payment.model.PaymentOutcome.Succeeded;
import io.hostrail.payment.model.PaymentOutcome.Unknown;
import io.hostrail.payment.model.RefundOutcome;
import io.hostrail.payment.model.RefundRequest;
import io.hostrail.payment.port.out.PaymentGateway;
import io.hostrail.shared.model.Money;
import io.hostrail.webclient.support.GuardedCalls;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link PaymentGateway} on PayPal's Orders v2 and Payments v2.
 *
 * <ul>
 * <li>{@link #charge}: creates an order ({@code intent: CAPTURE}, one purchase unit with our attempt id as
 * {@code reference_id} and {@code custom_id}, the invoice as {@code invoice_id}), {@link Pending} with the link the payer
 * approves it at ({@code payer-action}, or {@code approve} for orders made the older way). PayPal has no off-session
 * charge here: every PayPal payment is approved by the payer.
 * <li>{@link #complete}: captures the approved order; a {@code COMPLETED} capture is {@link Succeeded} with the capture's
 * id, which refunds name.
 * <li>{@link #lookup}: reads the order.
 * <li>{@link #refund}: refunds a capture.
 * </ul>
 * Each POST carries a {@code PayPal-Request-Id} from our attempt or refund id.
 */
public final class PayPalPaymentGateway implements PaymentGateway {

    private static final Logger log = LoggerFactory.getLogger(PayPalPaymentGateway.class);

    private final PayPalApi payPal;

    public PayPalPaymentGateway(PayPalApi payPal) {
        this.payPal = payPal;
    }

    @Override
    public String provider() {
        return "paypal";
    }

    @Override
    public Mono<PaymentOutcome> charge(GatewayAccount account, ChargeRequest request) {
        return Mono.defer(() -> {
            PayPalAccount payPalAccount = payPalAccount(account);
            String body = orderRequest(request);
            return payPal.send(payPalAccount, HttpMethod.POST, "/v2/checkout/orders",
                            requestId("order", request.attemptId()), body)
                    .map(response -> response.ok() ? orderOutcome(response.body()) : declined(null, response))
                    .onErrorResume(failure -> Mono.just(new Unknown(null, reason(failure))));
        });
    }

    /** Captures the approved order; a capture PayPal says was already made is read back instead. */
    @Override
    public Mono<PaymentOutcome> complete(GatewayAccount account, UUID attemptId, String reference) {
        return Mono.defer(() -> {
            PayPalAccount payPalAccount = payPalAccount(account);
            return payPal.send(payPalAccount, HttpMethod.POST, "/v2/checkout/orders/" + reference + "/capture",
                            requestId("capture", attemptId), "{}")
                    .flatMap(response -> {
                        if (response.ok()) {
                            return Mono.just(orderOutcome(response.body()));
                        }
                        if ("ORDER_ALREADY_CAPTURED".equals(response.issue())) {
                            return lookup(account, attemptId, reference);
                        }
                        return Mono.just(declined(reference, response));
                    })
                    .onErrorResume(failure -> Mono.just(new Unknown(reference, reason(failure))));
        });
    }

    /**
     * Reads the order. Without a reference there is nothing to read: an order whose creation went unanswered never
     * reached a payer (they approve at a link only the answer carried), so nothing was charged.
     */
    @Override
    public Mono<PaymentOutcome> lookup(GatewayAccount account, UUID attemptId, String reference) {
        return Mono.defer(() -> {
            PayPalAccount payPalAccount = payPalAccount(account);
            if (reference == null) {
                return Mono.empty();
            }
            return payPal.send(payPalAccount, HttpMethod.GET, "/v2/checkout/orders/" + reference, null, null)
                    .flatMap(response -> {
                        if (response.ok()) {
                            return Mono.just(orderOutcome(response.body()));
                        }
                        return response.status() == 404 ? Mono.<PaymentOutcome>empty()
                                : Mono.just(new Unknown(reference, "PAYPAL_" + response.issue()));
                    })
                    .onErrorResume(failure -> Mono.just(new Unknown(reference, reason(failure))));
        });
    }

    @Override
    public Mono<RefundOutcome> refund(GatewayAccount account, RefundRequest request) {
        return Mono.defer(() -> {
            PayPalAccount payPalAccount = payPalAccount(account);
            ObjectNode body = JsonMapper.shared().createObjectNode();
            body.set("amount", amount(request.amount()));
            body.put("custom_id", request.refundId().toString());
            if (request.reason() != null && !request.reason().isBlank()) {
                body.put("note_to_payer", truncate(request.reason(), 255));
            }
            return payPal.send(payPalAccount, HttpMethod.POST,
                            "/v2/payments/captures/" + request.paymentReference() + "/refund",
                            requestId("refund", request.refundId()), JsonMapper.shared().writeValueAsString(body))
                    .map(response -> refundOutcome(request, response))
                    .onErrorResume(failure -> Mono.just(new RefundOutcome.Unknown(reason(failure))));
        });
    }

    private static String orderRequest(ChargeRequest request) {
        ObjectNode order = JsonMapper.shared().createObjectNode();
        order.put("intent", "CAPTURE");
        ObjectNode unit = order.putArray("purchase_units").addObject();
        unit.put("reference_id", request.attemptId().toString());
        unit.set("amount", amount(request.amount()));
        unit.put("custom_id", request.attemptId().toString());
        String invoice = request.metadata().get(ChargeRequest.INVOICE_ID);
        if (invoice != null) {
            unit.put("invoice_id", truncate(invoice, 127));
        }
        if (request.description() != null && !request.description().isBlank()) {
            unit.put("description", truncate(request.description(), 127));
        }
        if (request.payerReturn() != null) {
            ObjectNode experience = order.putObject("payment_source").putObject("paypal").putObject("experience_context");
            experience.put("return_url", request.payerReturn().approved().toString());
            experience.put("cancel_url", request.payerReturn().cancelled().toString());
            experience.put("user_action", "PAY_NOW");
            experience.put("shipping_preference", "NO_SHIPPING");
        }
        return JsonMapper.shared().writeValueAsString(order);
    }

    private static ObjectNode amount(Money money) {
        ObjectNode amount = JsonMapper.shared().createObjectNode();
        amount.put("currency_code", money.currencyCode());
        amount.put("value", PayPalAmounts.value(money));
        return amount;
    }

    /** Where an order stands, by its {@code status} and, once completed, its capture's. */
    static PaymentOutcome orderOutcome(JsonNode order) {
        String id = text(order, "id");
        String status = String.valueOf(text(order, "status"));
        return switch (status) {
            case "CREATED", "SAVED", "PAYER_ACTION_REQUIRED" -> new Pending(id, null, approvalUrl(order));
            // Approved by the payer, not yet captured: complete() captures it.
            case "APPROVED" -> new Pending(id, null, null);
            case "VOIDED" -> new Declined(id, "VOIDED", "the order was voided");
            case "COMPLETED" -> captureOutcome(id, order.path("purchase_units").path(0).path("payments").path("captures").path(0));
            default -> new Unknown(id, "UNEXPECTED_STATUS_" + status);
        };
    }

    private static PaymentOutcome captureOutcome(String orderId, JsonNode capture) {
        String status = String.valueOf(text(capture, "status"));
        return switch (status) {
            // A capture refunded since was still paid; refunds are the ledger's business.
            case "COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED" -> new Succeeded(text(capture, "id"),
                    PayPalAmounts.money(text(capture.path("amount"), "value"), text(capture.path("amount"), "currency_code")));
            case "PENDING" -> new Pending(orderId, null, null);
            case "DECLINED", "FAILED" -> new Declined(orderId, "CAPTURE_" + status,
                    text(capture.path("processor_response"), "response_code"));
            default -> new Unknown(orderId, "UNEXPECTED_CAPTURE_STATUS_" + status);
        };
    }

    private static String approvalUrl(JsonNode order) {
        String approve = null;
        for (JsonNode link : order.path("links").values()) {
            String rel = text(link, "rel");
            if ("payer-action".equals(rel)) {
                return text(link, "href");
            }
            if ("approve".equals(rel)) {
                approve = text(link, "href");
            }
        }
        return approve;
    }

    private static RefundOutcome refundOutcome(RefundRequest request, PayPalResponse response) {
        if (!response.ok()) {
            return new RefundOutcome.Declined(response.issue(), response.message());
        }
        JsonNode refund = response.body();
        String id = text(refund, "id");
        String status = String.valueOf(text(refund, "status"));
        return switch (status) {
            case "COMPLETED" -> {
                JsonNode amount = refund.path("amount");
                yield new RefundOutcome.Succeeded(id, text(amount, "value") == null ? request.amount()
                        : PayPalAmounts.money(text(amount, "value"), text(amount, "currency_code")));
            }
            case "PENDING" -> new RefundOutcome.Pending(id);
            case "CANCELLED", "FAILED" -> new RefundOutcome.Declined(status, "refund " + id + " " + status);
            default -> new RefundOutcome.Unknown("UNEXPECTED_STATUS_" + status);
        };
    }

    private static Declined declined(String reference, PayPalResponse response) {
        return new Declined(reference, response.issue(), response.message());
    }

    static String reason(Throwable failure) {
        String reason = GuardedCalls.reason(failure);
        if (reason == null) {
            log.warn("PayPal call failed unexpectedly", failure);
            return "UNEXPECTED_ERROR";
        }
        log.warn("PayPal gave no answer: {}", reason);
        return reason;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
