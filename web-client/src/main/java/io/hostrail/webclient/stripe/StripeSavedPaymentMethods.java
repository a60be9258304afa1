package io.hostrail.webclient.stripe;

import static io.hostrail.webclient.stripe.StripeApi.idempotencyKey;
import static io.hostrail.webclient.stripe.StripeApi.stripeAccount;
import static io.hostrail.webclient.support.JsonFields.text;

import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.GatewayAccount.StripeAccount;
import io.hostrail.payment.model.GatewayErrors;
import io.hostrail.payment.model.PaymentMethodSetup;
import io.hostrail.payment.model.SavedPaymentMethod;
import io.hostrail.payment.port.out.SavedPaymentMethods;
import io.hostrail.shared.error.DomainException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@link SavedPaymentMethods} on Stripe's Customers ({@code POST /v1/customers}), SetupIntents
 * ({@code POST /v1/setup_intents}, {@code usage=off_session}) and PaymentMethods (list, detach).
 */
public final class StripeSavedPaymentMethods implements SavedPaymentMethods {

    static final String CUSTOMER_METADATA = "hostrail_customer_id";
    /** Stripe's largest page; a customer with more saved cards than this is not a customer we have. */
    private static final int PAGE = 100;

    private final StripeApi stripe;

    public StripeSavedPaymentMethods(StripeApi stripe) {
        this.stripe = stripe;
    }

    @Override
    public Mono<String> createCustomer(GatewayAccount account, UUID customerId, String email, String name) {
        return Mono.defer(() -> {
            StripeForm form = new StripeForm().add("email", email).add("name", name)
                    .add("metadata[" + CUSTOMER_METADATA + "]", customerId);
            return stripe.post(stripeAccount(account), "/v1/customers", idempotencyKey("customer", customerId), form)
                    .map(response -> text(answer(response), "id"))
                    .onErrorMap(StripeSavedPaymentMethods::unanswered);
        });
    }

    @Override
    public Mono<PaymentMethodSetup> startSetup(GatewayAccount account, UUID setupId, String customerReference) {
        return Mono.defer(() -> {
            StripeForm form = new StripeForm().add("customer", customerReference).add("usage", "off_session")
                    .addList("payment_method_types", List.of("card"))
                    .add("metadata[hostrail_setup_id]", setupId);
            return stripe.post(stripeAccount(account), "/v1/setup_intents", idempotencyKey("setup", setupId), form)
                    .map(response -> {
                        JsonNode intent = answer(response);
                        return new PaymentMethodSetup(text(intent, "id"), text(intent, "client_secret"));
                    })
                    .onErrorMap(StripeSavedPaymentMethods::unanswered);
        });
    }

    @Override
    public Flux<SavedPaymentMethod> list(GatewayAccount account, String customerReference, String type) {
        return Mono.defer(() -> stripe.get(stripeAccount(account), uri -> uri.path("/v1/customers/{customer}/payment_methods")
                        .queryParam("type", "{type}").queryParam("limit", PAGE).build(customerReference, type)))
                .map(StripeSavedPaymentMethods::answer)
                .onErrorMap(StripeSavedPaymentMethods::unanswered)
                .flatMapIterable(page -> page.path("data").values())
                .map(StripeSavedPaymentMethods::savedMethod);
    }

    /** Detaching is idempotent at Stripe too; the key is there because every POST carries one. */
    @Override
    public Mono<Void> detach(GatewayAccount account, String paymentMethodReference) {
        return Mono.defer(() -> {
            StripeAccount stripeAccount = stripeAccount(account);
            return stripe.post(stripeAccount, "/v1/payment_methods/" + paymentMethodReference + "/detach",
                            idempotencyKey("detach", paymentMethodReference), new StripeForm())
                    .map(StripeSavedPaymentMethods::answer)
                    .onErrorMap(StripeSavedPaymentMethods::unanswered)
                    .then();
        });
    }

    private static SavedPaymentMethod savedMethod(JsonNode method) {
        JsonNode card = method.path("card");
        return new SavedPaymentMethod(text(method, "id"), text(method, "type"), text(card, "brand"), text(card, "last4"),
                card.has("exp_month") ? card.path("exp_month").asInt() : null,
                card.has("exp_year") ? card.path("exp_year").asInt() : null);
    }

    /** The API object of a successful answer; a refusal becomes {@link GatewayErrors#REFUSED} with Stripe's code. */
    static JsonNode answer(StripeResponse response) {
        if (response.ok()) {
            return response.body();
        }
        StripeResponse.StripeError error = response.error();
        throw new DomainException(GatewayErrors.REFUSED, "Stripe refused the request: " + error.mostSpecificCode()
                + (error.message() == null ? "" : " (" + error.message() + ")"));
    }

    /** A call without an answer, as the port's codes say it. */
    static Throwable unanswered(Throwable failure) {
        if (failure instanceof DomainException || failure instanceof IllegalArgumentException) {
            return failure;
        }
        String reason = StripePaymentGateway.reason(failure);
        return new DomainException(failure instanceof TimeoutException ? GatewayErrors.TIMEOUT : GatewayErrors.UNAVAILABLE,
                "Stripe gave no answer: " + reason);
    }
}
