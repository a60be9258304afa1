package io.hostrail.webclient.stripe;

import static io.hostrail.webclient.stripe.StripeApi.idempotencyKey;
import static io.hostrail.webclient.stripe.StripeApi.stripeAccount;
import static io.hostrail.webclient.support.JsonFields.text;

import io.hostrail.payment.model.ChargeRequest;
import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.GatewayAccount.StripeAccount;
import io.hostrail.payment.model.PaymentOutcome;
import io.hostrail.payment.model.PaymentOutcome.Declined;
import io.hostrail.payment.model.PaymentOutcome.Pending;
import io.hostrail.payment.model.PaymentOutcome.Succeeded;
import io.hostrail.payment.model.PaymentOutcome.Unknown;
import io.hostrail.payment.model.RefundOutcome;
import io.hostrail.payment.model.RefundRequest;
import io.hostrail.payment.port.out.PaymentGateway;
import io.hostrail.webclient.support.GuardedCalls;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@link PaymentGateway} on Stripe's PaymentIntents and Refunds.
 *
 * <ul>
 * <li>On-session: a PaymentIntent created unconfirmed ({@code requires_payment_method}, or {@code requires_confirmation}
 * with a saved method) is {@link Pending} with its client secret; the SPA confirms it with Stripe.js.
 * <li>Off-session: created with {@code confirm=true}, {@code off_session=true}, the customer and the saved method;
 * {@code succeeded} is {@link Succeeded}, {@code processing} is {@link Pending}, and a card declined (HTTP 402,
 * {@code card_error}) is {@link Declined} with the {@code decline_code}.
 * <li>Every PaymentIntent carries our attempt id in {@code metadata[hostrail_attempt_id]}, which is how
 * {@link #lookup} finds one whose creation was never answered.
 * </ul>
 */
public final class StripePaymentGateway implements PaymentGateway {

    static final String ATTEMPT_METADATA = "hostrail_attempt_id";
    static final String REFUND_METADATA = "hostrail_refund_id";
    /** The reasons Stripe takes as {@code reason}; any other is kept in the refund's metadata. */
    private static final Set<String> STRIPE_REFUND_REASONS = Set.of("duplicate", "fraudulent", "requested_by_customer");

    private static final Logger log = LoggerFactory.getLogger(StripePaymentGateway.class);

    private final StripeApi stripe;

    public StripePaymentGateway(StripeApi stripe) {
        this.stripe = stripe;
    }

    @Override
    public String provider() {
        return "stripe";
    }

    @Override
    public Mono<PaymentOutcome> charge(GatewayAccount account, ChargeRequest request) {
        return Mono.defer(() -> {
            StripeAccount stripeAccount = stripeAccount(account);
            StripeForm form = new StripeForm()
                    .add("amount", StripeAmounts.amount(request.amount()))
                    .add("currency", StripeAmounts.currency(request.amount()))
                    .add("customer", request.customerReference())
                    .add("payment_method", request.paymentMethodReference())
                    .add("description", request.description())
                    .addMap("metadata", request.metadata())
                    .add("metadata[" + ATTEMPT_METADATA + "]", request.attemptId());
            if (request.offSession()) {
                form.add("confirm", true).add("off_session", true);
            } else {
                form.addList("payment_method_types", List.of("card"));
            }
            return stripe.post(stripeAccount, "/v1/payment_intents", idempotencyKey("charge", request.attemptId()), form)
                    .map(StripePaymentGateway::paymentOutcome)
                    .onErrorResume(failure -> Mono.just(unknown(null, failure)));
        });
    }

    /** Stripe.js confirms on-session payments; what is left to do here is to read the result. */
    @Override
    public Mono<PaymentOutcome> complete(GatewayAccount account, UUID attemptId, String reference) {
        return lookup(account, attemptId, reference)
                .switchIfEmpty(Mono.fromSupplier(() -> new Declined(reference, "resource_missing", "no such PaymentIntent")));
    }

    @Override
    public Mono<PaymentOutcome> lookup(GatewayAccount account, UUID attemptId, String reference) {
        return Mono.defer(() -> {
            StripeAccount stripeAccount = stripeAccount(account);
            Mono<StripeResponse> found = reference != null
                    ? stripe.get(stripeAccount, uri -> uri.path("/v1/payment_intents/{id}").build(reference))
                    : stripe.get(stripeAccount, uri -> uri.path("/v1/payment_intents/search")
                            .queryParam("query", "{query}")
                            .build("metadata['" + ATTEMPT_METADATA + "']:'" + attemptId + "'"));
            return found.flatMap(response -> {
                if (!response.ok()) {
                    StripeResponse.StripeError error = response.error();
                    return error.isMissingResource() ? Mono.<PaymentOutcome>empty()
                            : Mono.just(new Unknown(reference, "STRIPE_" + error.mostSpecificCode()));
                }
                JsonNode intent = reference != null ? response.body() : response.body().path("data").path(0);
                return intent.isMissingNode() ? Mono.<PaymentOutcome>empty() : Mono.just(intentOutcome(intent));
            }).onErrorResume(failure -> Mono.just(unknown(reference, failure)));
        });
    }

    @Override
    public Mono<RefundOutcome> refund(GatewayAccount account, RefundRequest request) {
        return Mono.defer(() -> {
            StripeAccount stripeAccount = stripeAccount(account);
            String reason = request.reason();
            boolean stripeReason = reason != null && STRIPE_REFUND_REASONS.contains(reason);
            StripeForm form = new StripeForm()
                    .add("payment_intent", request.paymentReference())
                    .add("amount", StripeAmounts.amount(request.amount()))
                    .add("reason", stripeReason ? reason : null)
                    .add("metadata[" + REFUND_METADATA + "]", request.refundId())
                    .add("metadata[hostrail_reason]", stripeReason ? null : reason);
            return stripe.post(stripeAccount, "/v1/refunds", idempotencyKey("refund", request.refundId()), form)
                    .map(StripePaymentGateway::refundOutcome)
                    .onErrorResume(failure -> Mono.just(new RefundOutcome.Unknown(reason(failure))));
        });
    }

    private static PaymentOutcome paymentOutcome(StripeResponse response) {
        if (response.ok()) {
            return intentOutcome(response.body());
        }
        StripeResponse.StripeError error = response.error();
        return new Declined(error.paymentIntentId(), error.mostSpecificCode(), error.message());
    }

    /** Where a PaymentIntent stands, by its {@code status}. */
    static PaymentOutcome intentOutcome(JsonNode intent) {
        String id = text(intent, "id");
        String status = String.valueOf(text(intent, "status"));
        String clientSecret = text(intent, "client_secret");
        return switch (status) {
            case "succeeded" -> new Succeeded(id, StripeAmounts.money(received(intent), text(intent, "currency")));
            case "processing", "requires_action", "requires_confirmation", "requires_capture" ->
                    new Pending(id, clientSecret, null);
            case "requires_payment_method" -> {
                // After a failed confirmation Stripe keeps the error; without one, the payer has yet to choose a method.
                JsonNode failed = intent.path("last_payment_error");
                String code = failed.isObject() ? firstNonNull(text(failed, "decline_code"), text(failed, "code")) : null;
                yield code != null ? new Declined(id, code, text(failed, "message")) : new Pending(id, clientSecret, null);
            }
            case "canceled" -> new Declined(id, "canceled", text(intent, "cancellation_reason"));
            default -> new Unknown(id, "UNEXPECTED_STATUS_" + status);
        };
    }

    private static long received(JsonNode intent) {
        long received = intent.path("amount_received").asLong(0);
        return received > 0 ? received : intent.path("amount").asLong();
    }

    private static RefundOutcome refundOutcome(StripeResponse response) {
        if (!response.ok()) {
            StripeResponse.StripeError error = response.error();
            return new RefundOutcome.Declined(error.mostSpecificCode(), error.message());
        }
        JsonNode refund = response.body();
        String id = text(refund, "id");
        String status = String.valueOf(text(refund, "status"));
        return switch (status) {
            case "succeeded" -> new RefundOutcome.Succeeded(id,
                    StripeAmounts.money(refund.path("amount").asLong(), text(refund, "currency")));
            case "pending", "requires_action" -> new RefundOutcome.Pending(id);
            case "failed", "canceled" -> new RefundOutcome.Declined(
                    firstNonNull(text(refund, "failure_reason"), status), "refund " + id + " " + status);
            default -> new RefundOutcome.Unknown("UNEXPECTED_STATUS_" + status);
        };
    }

    private static PaymentOutcome unknown(String reference, Throwable failure) {
        return new Unknown(reference, reason(failure));
    }

    static String reason(Throwable failure) {
        String reason = GuardedCalls.reason(failure);
        if (reason == null) {
            log.warn("Stripe call failed unexpectedly", failure);
            return "UNEXPECTED_ERROR";
        }
        log.warn("Stripe gave no answer: {}", reason);
        return reason;
    }

    private static String firstNonNull(String first, String second) {
        return first != null ? first : second;
    }
}
