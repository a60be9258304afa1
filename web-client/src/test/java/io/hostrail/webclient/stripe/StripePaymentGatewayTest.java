package io.hostrail.webclient.stripe;

import static io.hostrail.webclient.support.FakeReply.connectionReset;
import static io.hostrail.webclient.support.FakeReply.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.hostrail.payment.model.ChargeRequest;
import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.GatewayAccount.PayPalAccount;
import io.hostrail.payment.model.GatewayAccount.StripeAccount;
import io.hostrail.payment.model.PaymentOutcome;
import io.hostrail.payment.model.PaymentOutcome.Declined;
import io.hostrail.payment.model.PaymentOutcome.Pending;
import io.hostrail.payment.model.PaymentOutcome.Succeeded;
import io.hostrail.payment.model.PaymentOutcome.Unknown;
import io.hostrail.payment.model.RefundOutcome;
import io.hostrail.payment.model.RefundRequest;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.time.SettableClock;
import io.hostrail.webclient.support.OutboundPolicy;
import io.hostrail.webclient.support.Policies;
import io.hostrail.webclient.support.RecordedRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The Stripe payment gateway against a fake Stripe speaking its wire format, in this JVM. */
class StripePaymentGatewayTest {

    private static final TenantId TENANT = TenantId.of("0190a000-0000-7000-8000-000000000001");
    private static final StripeAccount ACCOUNT = new StripeAccount(TENANT, "sk_test_4eC39HqLyjWDarjtT1zdp7dc");
    private static final UUID ATTEMPT = UUID.fromString("0190a000-0000-7000-8000-00000000a77e");
    private static final Money TWELVE_EUROS = Money.ofMinor(1230, "EUR");

    private final FakeStripeServer stripe = new FakeStripeServer();
    private final SettableClock clock = SettableClock.at("2026-03-02T09:00:00Z");

    @AfterEach
    void stop() {
        stripe.close();
    }

    private StripePaymentGateway gateway(OutboundPolicy policy) {
        return new StripePaymentGateway(api(policy));
    }

    private StripeApi api(OutboundPolicy policy) {
        return new StripeApi(WebClient.builder(), new StripeSettings(stripe.baseUrl(), "2025-03-31.basil", policy), clock);
    }

    private StripePaymentGateway gateway() {
        return gateway(Policies.relaxed());
    }

    private static ChargeRequest offSession(UUID attempt, Money amount, String paymentMethod) {
        return new ChargeRequest(attempt, amount, "cus_QXg1o8vcGmoR32", paymentMethod, true, "Invoice INV-2026-000042",
                Map.of("tenant_id", TENANT.toString(), "invoice_id", "INV-2026-000042"), null);
    }

    private static ChargeRequest onSession(UUID attempt, Money amount) {
        return new ChargeRequest(attempt, amount, "cus_QXg1o8vcGmoR32", null, false, "Hosting & domains",
                Map.of("invoice_id", "INV-2026-000042"), null);
    }

    @Test
    @DisplayName("an on-session charge is a PaymentIntent left for the SPA to confirm: pending with its client secret")
    void onSessionCharge() {
        StepVerifier.create(gateway().charge(ACCOUNT, onSession(ATTEMPT, TWELVE_EUROS)))
                .assertNext(outcome -> {
                    Pending pending = (Pending) outcome;
                    assertThat(pending.reference()).startsWith("pi_");
                    assertThat(pending.clientSecret()).startsWith(pending.reference() + "_secret_");
                    assertThat(pending.approvalUrl()).isNull();
                })
                .verifyComplete();

        RecordedRequest sent = stripe.requests().getFirst();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/payment_intents");
        assertThat(sent.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc");
        assertThat(sent.header("Stripe-Version")).isEqualTo("2025-03-31.basil");
        assertThat(sent.header("Idempotency-Key")).isEqualTo("hostrail-charge-" + ATTEMPT);
        assertThat(sent.body()).as("the body as Stripe reads it, brackets unescaped")
                .isEqualTo("amount=1230&currency=eur&customer=cus_QXg1o8vcGmoR32&description=Hosting+%26+domains"
                        + "&metadata[invoice_id]=INV-2026-000042&metadata[hostrail_attempt_id]=" + ATTEMPT
                        + "&payment_method_types[]=card");
    }

    @Test
    @DisplayName("an off-session charge is confirmed at once with the saved method and succeeds with the amount received")
    void offSessionCharge() {
        StepVerifier.create(gateway().charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")))
                .assertNext(outcome -> {
                    assertThat(outcome).isInstanceOf(Succeeded.class);
                    assertThat(((Succeeded) outcome).reference()).startsWith("pi_");
                    assertThat(((Succeeded) outcome).amount()).isEqualTo(TWELVE_EUROS);
                })
                .verifyComplete();
        Map<String, String> form = stripe.requests().getFirst().form();
        assertThat(form).containsEntry("confirm", "true").containsEntry("off_session", "true")
                .containsEntry("payment_method", "pm_card_visa").containsEntry("customer", "cus_QXg1o8vcGmoR32")
                .containsEntry("metadata[tenant_id]", TENANT.toString())
                .containsEntry("metadata[hostrail_attempt_id]", ATTEMPT.toString())
                .doesNotContainKey("payment_method_types[]");
    }

    @Test
    @DisplayName("zero-decimal currencies go as whole units; ISK goes with two zero decimals, as Stripe requires")
    void currencies() {
        StepVerifier.create(gateway().charge(ACCOUNT, offSession(UUID.randomUUID(), Money.ofMinor(5000, "JPY"), "pm_card_visa")))
                .assertNext(outcome -> assertThat(((Succeeded) outcome).amount()).isEqualTo(Money.ofMinor(5000, "JPY")))
                .verifyComplete();
        StepVerifier.create(gateway().charge(ACCOUNT, offSession(UUID.randomUUID(), Money.ofMinor(990, "ISK"), "pm_card_visa")))
                .assertNext(outcome -> assertThat(((Succeeded) outcome).amount()).isEqualTo(Money.ofMinor(990, "ISK")))
                .verifyComplete();
        assertThat(stripe.requests()).extracting(request -> request.form().get("amount") + " " + request.form().get("currency"))
                .containsExactly("5000 jpy", "99000 isk");
    }

    @Test
    @DisplayName("a card declined off-session (402 card_error) is declined with the decline code and the PaymentIntent")
    void cardDeclined() {
        StepVerifier.create(gateway().charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_chargeDeclinedInsufficientFunds")))
                .assertNext(outcome -> {
                    Declined declined = (Declined) outcome;
                    assertThat(declined.code()).isEqualTo("insufficient_funds");
                    assertThat(declined.message()).isEqualTo("Your card has insufficient funds.");
                    assertThat(declined.reference()).startsWith("pi_");
                })
                .verifyComplete();
        assertThat(stripe.requests()).as("a decline is an answer: not retried").hasSize(1);
    }

    @Test
    @DisplayName("a charge still processing is pending")
    void processing() {
        StepVerifier.create(gateway().charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_processing")))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Pending.class))
                .verifyComplete();
    }

    @Test
    @DisplayName("a 5xx is retried with the same Idempotency-Key, and the retry's answer counts")
    void serverErrorRetried() {
        stripe.replies(json(500, "{\"error\":{\"type\":\"api_error\",\"message\":\"Something went wrong\"}}"),
                json(503, ""));
        StepVerifier.create(gateway().charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Succeeded.class))
                .verifyComplete();
        assertThat(stripe.requests()).hasSize(3).extracting(request -> request.header("Idempotency-Key"))
                .containsOnly("hostrail-charge-" + ATTEMPT);
        assertThat(stripe.requests()).extracting(RecordedRequest::body).as("the same request each time").hasSize(3)
                .containsOnly(stripe.requests().getFirst().body());
    }

    @Test
    @DisplayName("an answer lost to the timeout is asked for again under the same key: charged once, and succeeded")
    void lostAnswerChargesOnce() {
        stripe.answerNextAfter(Duration.ofSeconds(5));
        StepVerifier.create(gateway(Policies.policy(Duration.ofMillis(800), 3, 100))
                        .charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Succeeded.class))
                .verifyComplete();
        assertThat(stripe.requests()).hasSize(2).extracting(request -> request.header("Idempotency-Key"))
                .containsOnly("hostrail-charge-" + ATTEMPT);
        assertThat(stripe.intentsCreated()).isEqualTo(1);
    }

    @Test
    @DisplayName("5xx on every attempt is unknown, never declined")
    void persistentServerError() {
        stripe.replies(json(500, ""), json(502, ""), json(503, ""));
        StepVerifier.create(gateway().charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")))
                .expectNext(new Unknown(null, "HTTP_503"))
                .verifyComplete();
        assertThat(stripe.requests()).hasSize(3);
    }

    @Test
    @DisplayName("answers slower than the timeout on every attempt are unknown")
    void slowAnswers() {
        stripe.answerNextAfter(Duration.ofSeconds(5)).answerNextAfter(Duration.ofSeconds(5));
        StepVerifier.create(gateway(Policies.policy(Duration.ofMillis(800), 2, 100))
                        .charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")))
                .expectNext(new Unknown(null, "TIMEOUT"))
                .verifyComplete();
        assertThat(stripe.requests()).hasSize(2);
    }

    @Test
    @DisplayName("a connection reset on every attempt is unknown; one reset then an answer is the answer")
    void resetConnection() {
        stripe.replies(connectionReset(), connectionReset(), connectionReset());
        StepVerifier.create(gateway().charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")))
                .expectNext(new Unknown(null, "CONNECTION_FAILED"))
                .verifyComplete();

        stripe.replies(connectionReset());
        StepVerifier.create(gateway().charge(ACCOUNT, offSession(UUID.randomUUID(), TWELVE_EUROS, "pm_card_visa")))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Succeeded.class))
                .verifyComplete();
    }

    @Test
    @DisplayName("failures open the breaker, which answers unknown without calling; after the wait one trial call closes it")
    void circuitBreaker() {
        StripeApi api = api(Policies.policy(Duration.ofSeconds(5), 1, 4));
        StripePaymentGateway gateway = new StripePaymentGateway(api);
        stripe.replies(json(500, ""), json(500, ""), json(500, ""));
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(gateway.charge(ACCOUNT, offSession(UUID.randomUUID(), TWELVE_EUROS, "pm_card_visa")))
                    .as("call " + i).expectNextCount(1).verifyComplete();
        }
        assertThat(api.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        StepVerifier.create(gateway.charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")))
                .as("while open")
                .expectNext(new Unknown(null, "CIRCUIT_OPEN"))
                .verifyComplete();
        StepVerifier.create(gateway.lookup(ACCOUNT, ATTEMPT, "pi_any"))
                .as("reads too: the breaker is Stripe's, not the charge's")
                .expectNext(new Unknown("pi_any", "CIRCUIT_OPEN"))
                .verifyComplete();
        assertThat(stripe.requests()).as("calls that reached Stripe").hasSize(4);

        clock.advance(Duration.ofSeconds(31));
        assertThat(api.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        StepVerifier.create(gateway.charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")))
                .as("the trial call after the wait")
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Succeeded.class))
                .verifyComplete();
        assertThat(api.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    @DisplayName("a business refusal (4xx) neither opens the breaker nor is retried")
    void refusalsAreAnswers() {
        StripeApi api = api(Policies.policy(Duration.ofSeconds(5), 3, 2));
        StripePaymentGateway gateway = new StripePaymentGateway(api);
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(gateway.charge(ACCOUNT,
                            offSession(UUID.randomUUID(), TWELVE_EUROS, "pm_card_chargeDeclinedInsufficientFunds")))
                    .assertNext(outcome -> assertThat(outcome).isInstanceOf(Declined.class))
                    .verifyComplete();
        }
        stripe.replies(json(401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key provided: sk_test_****\"}}"));
        StepVerifier.create(gateway.charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")))
                .assertNext(outcome -> assertThat(((Declined) outcome).code()).isEqualTo("invalid_request_error"))
                .verifyComplete();
        assertThat(stripe.requests()).hasSize(4);
        assertThat(api.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    @DisplayName("calls beyond the bulkhead's concurrent calls are unknown at once, and reach no one")
    void bulkhead() {
        Sinks.Empty<Void> gate = Sinks.empty();
        stripe.holdNext(gate.asMono()).holdNext(gate.asMono());
        StripePaymentGateway gateway = gateway();
        Mono<PaymentOutcome> third = stripe.received(2)
                .then(gateway.charge(ACCOUNT, offSession(UUID.randomUUID(), TWELVE_EUROS, "pm_card_visa")))
                .doFinally(signal -> gate.tryEmitEmpty());
        StepVerifier.create(Mono.zip(
                        gateway.charge(ACCOUNT, offSession(UUID.randomUUID(), TWELVE_EUROS, "pm_card_visa")),
                        gateway.charge(ACCOUNT, offSession(UUID.randomUUID(), TWELVE_EUROS, "pm_card_visa")),
                        third))
                .assertNext(outcomes -> {
                    assertThat(outcomes.getT1()).isInstanceOf(Succeeded.class);
                    assertThat(outcomes.getT2()).isInstanceOf(Succeeded.class);
                    assertThat(outcomes.getT3()).isEqualTo(new Unknown(null, "BULKHEAD_FULL"));
                })
                .verifyComplete();
        assertThat(stripe.requests()).hasSize(2);
    }

    @Test
    @DisplayName("lookup reads the PaymentIntent; without a reference it finds it by the attempt id; none is empty")
    void lookup() {
        StripePaymentGateway gateway = gateway();
        Pending pending = (Pending) gateway.charge(ACCOUNT, onSession(ATTEMPT, TWELVE_EUROS)).block();

        StepVerifier.create(gateway.lookup(ACCOUNT, ATTEMPT, pending.reference()))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Pending.class))
                .verifyComplete();
        stripe.setIntentStatus(pending.reference(), "succeeded");
        StepVerifier.create(gateway.lookup(ACCOUNT, ATTEMPT, null))
                .expectNext(new Succeeded(pending.reference(), TWELVE_EUROS))
                .verifyComplete();
        StepVerifier.create(gateway.complete(ACCOUNT, ATTEMPT, pending.reference()))
                .expectNext(new Succeeded(pending.reference(), TWELVE_EUROS))
                .verifyComplete();
        StepVerifier.create(gateway.lookup(ACCOUNT, UUID.randomUUID(), null)).as("no PaymentIntent for the attempt")
                .verifyComplete();
        StepVerifier.create(gateway.lookup(ACCOUNT, ATTEMPT, "pi_unknown")).as("404 resource_missing").verifyComplete();

        RecordedRequest search = stripe.requests("GET", "/v1/payment_intents/search").getFirst();
        assertThat(search.queryParam("query")).isEqualTo("metadata['hostrail_attempt_id']:'" + ATTEMPT + "'");
        assertThat(stripe.requests("GET", "/")).allSatisfy(get -> assertThat(get.header("Idempotency-Key")).isNull());
    }

    @Test
    @DisplayName("refunds, full and partial, are keyed by our refund id; one beyond the payment is declined")
    void refunds() {
        StripePaymentGateway gateway = gateway();
        Succeeded paid = (Succeeded) gateway.charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")).block();
        UUID partial = UUID.randomUUID();
        UUID rest = UUID.randomUUID();

        StepVerifier.create(gateway.refund(ACCOUNT, new RefundRequest(partial, paid.reference(), Money.ofMinor(230, "EUR"),
                        "requested_by_customer")))
                .assertNext(outcome -> assertThat(((RefundOutcome.Succeeded) outcome).amount())
                        .isEqualTo(Money.ofMinor(230, "EUR")))
                .verifyComplete();
        StepVerifier.create(gateway.refund(ACCOUNT, new RefundRequest(rest, paid.reference(), TWELVE_EUROS, "plan downgraded")))
                .assertNext(outcome -> assertThat(((RefundOutcome.Succeeded) outcome).reference()).startsWith("re_"))
                .verifyComplete();
        StepVerifier.create(gateway.refund(ACCOUNT, new RefundRequest(UUID.randomUUID(), paid.reference(),
                        Money.ofMinor(99_999, "EUR"), null)))
                .expectNext(new RefundOutcome.Declined("amount_too_large",
                        "Refund amount is greater than unrefunded amount on charge"))
                .verifyComplete();

        var refunds = stripe.requests("POST", "/v1/refunds");
        assertThat(refunds.get(0).header("Idempotency-Key")).isEqualTo("hostrail-refund-" + partial);
        assertThat(refunds.get(0).body()).isEqualTo("payment_intent=" + paid.reference()
                + "&amount=230&reason=requested_by_customer&metadata[hostrail_refund_id]=" + partial);
        assertThat(refunds.get(1).form()).containsEntry("amount", "1230").doesNotContainKey("reason")
                .containsEntry("metadata[hostrail_reason]", "plan downgraded");
    }

    @Test
    @DisplayName("a refund that goes unanswered is unknown")
    void refundUnanswered() {
        stripe.replies(json(500, ""), json(500, ""), json(500, ""));
        StepVerifier.create(gateway().refund(ACCOUNT, new RefundRequest(UUID.randomUUID(), "pi_x", TWELVE_EUROS, null)))
                .expectNext(new RefundOutcome.Unknown("HTTP_500"))
                .verifyComplete();
    }

    @Test
    @DisplayName("every POST carries an Idempotency-Key")
    void everyPostIsKeyed() {
        StripePaymentGateway gateway = gateway();
        StripeSavedPaymentMethods methods = new StripeSavedPaymentMethods(api(Policies.relaxed()));
        Succeeded paid = (Succeeded) gateway.charge(ACCOUNT, offSession(ATTEMPT, TWELVE_EUROS, "pm_card_visa")).block();
        gateway.charge(ACCOUNT, onSession(UUID.randomUUID(), TWELVE_EUROS)).block();
        gateway.refund(ACCOUNT, new RefundRequest(UUID.randomUUID(), paid.reference(), TWELVE_EUROS, null)).block();
        String customer = methods.createCustomer(ACCOUNT, UUID.randomUUID(), "ada@example.com", "Ada").block();
        methods.startSetup(ACCOUNT, UUID.randomUUID(), customer).block();
        methods.detach(ACCOUNT, "pm_1Pgc75B7WZ01zgkWlHVgdEGJ").block();

        assertThat(stripe.requests("POST", "/")).hasSize(6)
                .allSatisfy(post -> assertThat(post.header("Idempotency-Key")).startsWith("hostrail-"))
                .extracting(post -> post.header("Idempotency-Key")).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("an account of another provider is refused before any call")
    void wrongAccount() {
        GatewayAccount payPal = new PayPalAccount(TENANT, "client", "secret");
        StepVerifier.create(gateway().charge(payPal, onSession(ATTEMPT, TWELVE_EUROS)))
                .expectError(IllegalArgumentException.class).verify();
        assertThat(stripe.requests()).isEmpty();
    }
}
