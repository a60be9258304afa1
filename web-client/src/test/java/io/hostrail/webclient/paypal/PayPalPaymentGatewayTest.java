package io.hostrail.webclient.paypal;

import static io.hostrail.webclient.support.FakeReply.connectionReset;
import static io.hostrail.webclient.support.FakeReply.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.hostrail.payment.model.ChargeRequest;
import io.hostrail.payment.model.ChargeRequest.PayerReturn;
import io.hostrail.payment.model.GatewayAccount.PayPalAccount;
import io.hostrail.payment.model.GatewayAccount.StripeAccount;
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
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The PayPal payment gateway against a fake PayPal speaking Orders v2, Payments v2 and OAuth 2, in this JVM. */
class PayPalPaymentGatewayTest {

    private static final TenantId TENANT = TenantId.of("0190a000-0000-7000-8000-000000000001");
    private static final PayPalAccount ACCOUNT = new PayPalAccount(TENANT, FakePayPalServer.CLIENT_ID,
            FakePayPalServer.CLIENT_SECRET);
    private static final UUID ATTEMPT = UUID.fromString("0190a000-0000-7000-8000-00000000a77e");
    private static final Money AMOUNT = Money.ofMinor(1230, "EUR");
    private static final PayerReturn RETURN = new PayerReturn(URI.create("https://billing.example.com/pay/done"),
            URI.create("https://billing.example.com/pay/cancelled"));

    private final FakePayPalServer payPal = new FakePayPalServer();
    private final SettableClock clock = SettableClock.at("2026-03-02T09:00:00Z");

    @AfterEach
    void stop() {
        payPal.close();
    }

    private PayPalApi api(OutboundPolicy policy) {
        return new PayPalApi(WebClient.builder(), new PayPalSettings(payPal.baseUrl(), Duration.ofMinutes(5), policy), clock);
    }

    private PayPalPaymentGateway gateway() {
        return new PayPalPaymentGateway(api(Policies.relaxed()));
    }

    private static ChargeRequest charge(UUID attempt, Money amount) {
        return new ChargeRequest(attempt, amount, null, null, false, "Hosting & domains",
                Map.of("invoice_id", "INV-2026-000042", "tenant_id", TENANT.toString()), RETURN);
    }

    private static JsonNode bodyOf(RecordedRequest request) {
        return JsonMapper.shared().readTree(request.body());
    }

    @Test
    @DisplayName("a charge creates an order to capture, keyed by our attempt id, pending with the link the payer approves at")
    void createOrder() {
        StepVerifier.create(gateway().charge(ACCOUNT, charge(ATTEMPT, AMOUNT)))
                .assertNext(outcome -> {
                    Pending pending = (Pending) outcome;
                    assertThat(pending.approvalUrl()).isEqualTo("https://www.sandbox.paypal.com/checkoutnow?token="
                            + pending.reference());
                    assertThat(pending.clientSecret()).isNull();
                })
                .verifyComplete();

        RecordedRequest create = payPal.requests("POST", "/v2/checkout/orders").getFirst();
        assertThat(create.header("PayPal-Request-Id")).isEqualTo("hostrail-order-" + ATTEMPT);
        assertThat(create.header("Content-Type")).startsWith("application/json");
        assertThat(create.header("Authorization")).startsWith("Bearer A21AA");
        JsonNode body = bodyOf(create);
        assertThat(body.path("intent").asString()).isEqualTo("CAPTURE");
        JsonNode unit = body.path("purchase_units").path(0);
        assertThat(unit.path("amount").path("currency_code").asString()).isEqualTo("EUR");
        assertThat(unit.path("amount").path("value").asString()).isEqualTo("12.30");
        assertThat(unit.path("reference_id").asString()).isEqualTo(ATTEMPT.toString());
        assertThat(unit.path("custom_id").asString()).isEqualTo(ATTEMPT.toString());
        assertThat(unit.path("invoice_id").asString()).isEqualTo("INV-2026-000042");
        JsonNode experience = body.path("payment_source").path("paypal").path("experience_context");
        assertThat(experience.path("return_url").asString()).isEqualTo("https://billing.example.com/pay/done");
        assertThat(experience.path("cancel_url").asString()).isEqualTo("https://billing.example.com/pay/cancelled");
    }

    @Test
    @DisplayName("an order made without a return page is approved at its approve link")
    void approveLink() {
        ChargeRequest popup = new ChargeRequest(ATTEMPT, AMOUNT, null, null, false, null, Map.of(), null);
        StepVerifier.create(gateway().charge(ACCOUNT, popup))
                .assertNext(outcome -> assertThat(((Pending) outcome).approvalUrl()).contains("checkoutnow?token="))
                .verifyComplete();
        assertThat(bodyOf(payPal.requests("POST", "/v2/checkout/orders").getFirst()).has("payment_source")).isFalse();
    }

    @Test
    @DisplayName("amounts go with the digits PayPal takes: none for JPY and HUF; an HUF amount with a fraction is refused before any call")
    void amounts() {
        PayPalPaymentGateway gateway = gateway();
        gateway.charge(ACCOUNT, charge(UUID.randomUUID(), Money.ofMinor(5000, "JPY"))).block();
        gateway.charge(ACCOUNT, charge(UUID.randomUUID(), Money.ofMinor(150_000, "HUF"))).block();
        assertThat(payPal.requests("POST", "/v2/checkout/orders"))
                .extracting(request -> bodyOf(request).path("purchase_units").path(0).path("amount").path("value").asString())
                .containsExactly("5000", "1500");
        StepVerifier.create(gateway.charge(ACCOUNT, charge(UUID.randomUUID(), Money.ofMinor(150_050, "HUF"))))
                .expectError(IllegalArgumentException.class).verify();
        assertThat(payPal.requests("POST", "/v2/checkout/orders")).hasSize(2);
    }

    @Test
    @DisplayName("an approved order is captured, keyed by our attempt id: succeeded with the capture, which refunds name")
    void capture() {
        PayPalPaymentGateway gateway = gateway();
        Pending pending = (Pending) gateway.charge(ACCOUNT, charge(ATTEMPT, AMOUNT)).block();
        payPal.approve(pending.reference());

        StepVerifier.create(gateway.complete(ACCOUNT, ATTEMPT, pending.reference()))
                .assertNext(outcome -> {
                    Succeeded succeeded = (Succeeded) outcome;
                    assertThat(succeeded.reference()).startsWith("3C679366HH90839");
                    assertThat(succeeded.amount()).isEqualTo(AMOUNT);
                })
                .verifyComplete();
        RecordedRequest capture = payPal.requests("POST", "/v2/checkout/orders/" + pending.reference() + "/capture").getFirst();
        assertThat(capture.header("PayPal-Request-Id")).isEqualTo("hostrail-capture-" + ATTEMPT);
        assertThat(capture.header("Prefer")).isEqualTo("return=representation");

        StepVerifier.create(gateway.complete(ACCOUNT, ATTEMPT, pending.reference()))
                .as("completing again is answered as the first time")
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Succeeded.class))
                .verifyComplete();
        StepVerifier.create(gateway.complete(ACCOUNT, UUID.randomUUID(), pending.reference()))
                .as("already captured under another request id: read back")
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Succeeded.class))
                .verifyComplete();
    }

    @Test
    @DisplayName("capturing an order not approved, or with a declined instrument, is declined with PayPal's issue")
    void captureDeclined() {
        PayPalPaymentGateway gateway = gateway();
        Pending pending = (Pending) gateway.charge(ACCOUNT, charge(ATTEMPT, AMOUNT)).block();
        StepVerifier.create(gateway.complete(ACCOUNT, ATTEMPT, pending.reference()))
                .assertNext(outcome -> assertThat(((Declined) outcome).code()).isEqualTo("ORDER_NOT_APPROVED"))
                .verifyComplete();

        Pending other = (Pending) gateway.charge(ACCOUNT, charge(UUID.randomUUID(), AMOUNT)).block();
        payPal.approve(other.reference());
        payPal.declineOnCapture(other.reference());
        StepVerifier.create(gateway.complete(ACCOUNT, UUID.randomUUID(), other.reference()))
                .assertNext(outcome -> {
                    Declined declined = (Declined) outcome;
                    assertThat(declined.code()).isEqualTo("INSTRUMENT_DECLINED");
                    assertThat(declined.reference()).isEqualTo(other.reference());
                })
                .verifyComplete();
    }

    @Test
    @DisplayName("lookup reads the order: created is pending, approved is pending without a link, completed has succeeded")
    void lookup() {
        PayPalPaymentGateway gateway = gateway();
        Pending pending = (Pending) gateway.charge(ACCOUNT, charge(ATTEMPT, AMOUNT)).block();
        StepVerifier.create(gateway.lookup(ACCOUNT, ATTEMPT, pending.reference())).expectNext(pending).verifyComplete();
        payPal.approve(pending.reference());
        StepVerifier.create(gateway.lookup(ACCOUNT, ATTEMPT, pending.reference()))
                .expectNext(new Pending(pending.reference(), null, null)).verifyComplete();
        Succeeded captured = (Succeeded) gateway.complete(ACCOUNT, ATTEMPT, pending.reference()).block();
        StepVerifier.create(gateway.lookup(ACCOUNT, ATTEMPT, pending.reference())).expectNext(captured).verifyComplete();

        StepVerifier.create(gateway.lookup(ACCOUNT, ATTEMPT, "NOSUCHORDER")).as("404").verifyComplete();
        StepVerifier.create(gateway.lookup(ACCOUNT, ATTEMPT, null)).as("no order ever reached a payer").verifyComplete();
        assertThat(payPal.requests("GET", "/")).allSatisfy(get -> assertThat(get.header("PayPal-Request-Id")).isNull());
    }

    @Test
    @DisplayName("refunds, partial and full, go to the capture keyed by our refund id; one beyond it is declined")
    void refunds() {
        PayPalPaymentGateway gateway = gateway();
        Pending pending = (Pending) gateway.charge(ACCOUNT, charge(ATTEMPT, AMOUNT)).block();
        payPal.approve(pending.reference());
        Succeeded captured = (Succeeded) gateway.complete(ACCOUNT, ATTEMPT, pending.reference()).block();
        UUID partial = UUID.randomUUID();

        StepVerifier.create(gateway.refund(ACCOUNT, new RefundRequest(partial, captured.reference(),
                        Money.ofMinor(230, "EUR"), "Plan downgraded")))
                .assertNext(outcome -> assertThat(((RefundOutcome.Succeeded) outcome).amount())
                        .isEqualTo(Money.ofMinor(230, "EUR")))
                .verifyComplete();
        StepVerifier.create(gateway.refund(ACCOUNT, new RefundRequest(UUID.randomUUID(), captured.reference(), AMOUNT, null)))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(RefundOutcome.Succeeded.class))
                .verifyComplete();
        StepVerifier.create(gateway.refund(ACCOUNT, new RefundRequest(UUID.randomUUID(), captured.reference(),
                        Money.ofMinor(99_999, "EUR"), null)))
                .assertNext(outcome -> assertThat(((RefundOutcome.Declined) outcome).code()).isEqualTo("REFUND_AMOUNT_EXCEEDED"))
                .verifyComplete();

        RecordedRequest first = payPal.requests("POST", "/v2/payments/captures/").getFirst();
        assertThat(first.path()).isEqualTo("/v2/payments/captures/" + captured.reference() + "/refund");
        assertThat(first.header("PayPal-Request-Id")).isEqualTo("hostrail-refund-" + partial);
        JsonNode body = bodyOf(first);
        assertThat(body.path("amount").path("value").asString()).isEqualTo("2.30");
        assertThat(body.path("amount").path("currency_code").asString()).isEqualTo("EUR");
        assertThat(body.path("note_to_payer").asString()).isEqualTo("Plan downgraded");
    }

    @Test
    @DisplayName("one access token serves call after call until shortly before it expires, by the clock; then a new one is taken")
    void tokenCachedAndRefreshed() {
        payPal.tokenLifetime(3600);
        PayPalPaymentGateway gateway = gateway();
        for (int i = 0; i < 3; i++) {
            gateway.charge(ACCOUNT, charge(UUID.randomUUID(), AMOUNT)).block();
        }
        assertThat(payPal.tokenRequests()).hasSize(1);
        RecordedRequest tokenRequest = payPal.tokenRequests().getFirst();
        assertThat(tokenRequest.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(tokenRequest.body()).isEqualTo("grant_type=client_credentials");
        assertThat(tokenRequest.header("Authorization")).startsWith("Basic ");

        clock.advance(Duration.ofMinutes(54));
        gateway.charge(ACCOUNT, charge(UUID.randomUUID(), AMOUNT)).block();
        assertThat(payPal.tokenRequests()).as("still usable 6 minutes before expiry").hasSize(1);
        clock.advance(Duration.ofMinutes(2));
        gateway.charge(ACCOUNT, charge(UUID.randomUUID(), AMOUNT)).block();
        assertThat(payPal.tokenRequests()).as("within the 5-minute margin: renewed").hasSize(2);

        var bearers = payPal.requests("POST", "/v2/checkout/orders").stream().map(r -> r.header("Authorization")).toList();
        assertThat(bearers.subList(0, 4)).containsOnly(bearers.getFirst());
        assertThat(bearers.get(4)).isNotEqualTo(bearers.getFirst());
    }

    @Test
    @DisplayName("a call answered 401 takes a new token and is sent once more")
    void tokenRefreshedOn401() {
        PayPalPaymentGateway gateway = gateway();
        gateway.charge(ACCOUNT, charge(UUID.randomUUID(), AMOUNT)).block();
        payPal.revokeTokens();
        StepVerifier.create(gateway.charge(ACCOUNT, charge(ATTEMPT, AMOUNT)))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Pending.class))
                .verifyComplete();
        assertThat(payPal.tokenRequests()).hasSize(2);
        var creates = payPal.requests("POST", "/v2/checkout/orders");
        assertThat(creates).hasSize(3);
        assertThat(creates.get(2).header("Authorization")).isNotEqualTo(creates.get(1).header("Authorization"));
        assertThat(creates.get(2).header("PayPal-Request-Id")).isEqualTo(creates.get(1).header("PayPal-Request-Id"));
    }

    @Test
    @DisplayName("credentials PayPal refuses decline the charge: nothing was created, and retrying would not help")
    void badCredentials() {
        PayPalAccount wrong = new PayPalAccount(TENANT, FakePayPalServer.CLIENT_ID, "not-the-secret");
        StepVerifier.create(gateway().charge(wrong, charge(ATTEMPT, AMOUNT)))
                .assertNext(outcome -> assertThat(((Declined) outcome).code()).isEqualTo("invalid_client"))
                .verifyComplete();
        assertThat(payPal.requests("POST", "/v2/checkout/orders")).isEmpty();
    }

    @Test
    @DisplayName("a token endpoint that fails once is retried within the call; one failed fetch is not cached")
    void tokenEndpointDown() {
        payPal.tokenReplies(json(503, ""));
        StepVerifier.create(gateway().charge(ACCOUNT, charge(ATTEMPT, AMOUNT)))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Pending.class))
                .verifyComplete();
        assertThat(payPal.tokenRequests()).hasSize(2);
    }

    @Test
    @DisplayName("a 5xx is retried under the same PayPal-Request-Id; 5xx, resets and slow answers that persist are unknown")
    void unanswered() {
        PayPalPaymentGateway gateway = gateway();
        payPal.replies(json(500, "{\"name\":\"INTERNAL_SERVER_ERROR\"}"));
        StepVerifier.create(gateway.charge(ACCOUNT, charge(ATTEMPT, AMOUNT)))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Pending.class))
                .verifyComplete();
        assertThat(payPal.requests("POST", "/v2/checkout/orders")).extracting(r -> r.header("PayPal-Request-Id"))
                .containsExactly("hostrail-order-" + ATTEMPT, "hostrail-order-" + ATTEMPT);

        payPal.replies(json(500, ""), json(502, ""), json(503, ""));
        StepVerifier.create(gateway.complete(ACCOUNT, ATTEMPT, "ORDER1"))
                .expectNext(new Unknown("ORDER1", "HTTP_503")).verifyComplete();

        payPal.replies(connectionReset(), connectionReset(), connectionReset());
        StepVerifier.create(gateway.refund(ACCOUNT, new RefundRequest(UUID.randomUUID(), "CAPTURE1", AMOUNT, null)))
                .expectNext(new RefundOutcome.Unknown("CONNECTION_FAILED")).verifyComplete();

        String order = "{\"id\":\"ORDER1\",\"status\":\"CREATED\",\"links\":[]}";
        payPal.replies(json(200, order).after(Duration.ofSeconds(5)), json(200, order).after(Duration.ofSeconds(5)));
        PayPalPaymentGateway impatient = new PayPalPaymentGateway(api(Policies.policy(Duration.ofMillis(800), 2, 100)));
        StepVerifier.create(impatient.lookup(ACCOUNT, ATTEMPT, "ORDER1"))
                .expectNext(new Unknown("ORDER1", "TIMEOUT")).verifyComplete();
    }

    @Test
    @DisplayName("failures open PayPal's breaker, which answers unknown without calling; after the wait a trial call closes it")
    void circuitBreaker() {
        PayPalApi api = api(Policies.policy(Duration.ofSeconds(5), 1, 4));
        PayPalPaymentGateway gateway = new PayPalPaymentGateway(api);
        payPal.replies(json(500, ""), json(500, ""), json(500, ""));
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(gateway.charge(ACCOUNT, charge(UUID.randomUUID(), AMOUNT))).expectNextCount(1).verifyComplete();
        }
        assertThat(api.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int calls = payPal.requests().size();
        StepVerifier.create(gateway.charge(ACCOUNT, charge(ATTEMPT, AMOUNT)))
                .expectNext(new Unknown(null, "CIRCUIT_OPEN")).verifyComplete();
        assertThat(payPal.requests()).hasSize(calls);

        clock.advance(Duration.ofSeconds(31));
        StepVerifier.create(gateway.charge(ACCOUNT, charge(ATTEMPT, AMOUNT)))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Pending.class)).verifyComplete();
        assertThat(api.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    @DisplayName("an account of another provider is refused before any call")
    void wrongAccount() {
        StepVerifier.create(gateway().charge(new StripeAccount(TENANT, "sk_test_x"), charge(ATTEMPT, AMOUNT)))
                .expectError(IllegalArgumentException.class).verify();
        assertThat(payPal.requests()).isEmpty();
    }
}
