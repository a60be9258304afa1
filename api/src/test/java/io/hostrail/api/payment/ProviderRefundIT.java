package io.hostrail.api.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.FakeProviders;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.payment.model.StripeSignature;
import io.hostrail.webclient.stripe.FakeStripeServer;
import io.hostrail.webclient.support.FakeReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Refunds of provider payments through the API: made at the provider outside any transaction, then recorded once
 * under the provider's refund id; a decline or no answer records nothing.
 */
@HostrailIntegrationTest
class ProviderRefundIT {

    static final String SECRET = "whsec_refunds0123456789abcdef";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private final FakeStripeServer stripe = FakeProviders.stripe();
    private TenantSession session;
    private String product;
    private String acme;

    @BeforeEach
    void stripeConnected() {
        session = TenantSession.fresh(http, bootstrap, database);
        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", PaymentProviderIT.STRIPE_SECRET,
                "publishableKey", PaymentProviderIT.STRIPE_PUBLISHABLE)).expectStatus().isOk();
        session.put("/api/v1/settings/payment-providers/stripe/webhook-secrets",
                Map.of("webhookSecrets", List.of(SECRET))).expectStatus().isNoContent();
        product = session.monthlyProduct("Starter", "10.00");
        acme = session.customer("EUR", null);
    }

    @AfterEach
    void forgetScriptedReplies() {
        FakeProviders.forgetScripts();
    }

    @Test
    @DisplayName("a Stripe payment is refunded at Stripe, keyed by our refund id, and recorded with Stripe's refund id")
    void refundedThroughStripe() {
        String invoice = invoice();
        String payment = paidByStripe(invoice, "pm_card_visa");

        Map<String, Object> refunded = session.created("/api/v1/payments/" + payment + "/refunds",
                Map.of("amount", "4.00", "reason", "Downtime in December"));
        Map<?, ?> refund = (Map<?, ?>) refunded.get("refund");
        assertThat((String) refund.get("reference")).startsWith("re_");
        assertThat(((Map<?, ?>) refunded.get("payment")).get("status")).isEqualTo("partially_refunded");
        var sent = stripe.requests("POST", "/v1/refunds").getLast();
        assertThat(sent.form()).containsEntry("amount", "400").containsEntry("payment_intent", reference(payment))
                .containsEntry("metadata[hostrail_refund_id]", (String) refund.get("id"));
        assertThat(sent.header("Idempotency-Key")).contains((String) refund.get("id"));
        session.get("/api/v1/credit-notes/" + refund.get("creditNoteId")).expectBody()
                .jsonPath("$.total").isEqualTo("4.00").jsonPath("$.invoiceId").isEqualTo(invoice);
        session.get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("0.00");
        session.get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true);
        assertThat(session.events(payment)).containsExactly("payment.received", "payment.refunded");
        String audit = session.get("/api/v1/audit?action=payment.refunded").expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(audit).contains((String) refund.get("reference"));

        // More than is left is ours to refuse, before Stripe is asked.
        int calls = stripe.requests("POST", "/v1/refunds").size();
        session.post("/api/v1/payments/" + payment + "/refunds", Map.of("amount", "6.01", "reason", "Too much"))
                .expectStatus().isBadRequest();
        assertThat(stripe.requests("POST", "/v1/refunds")).hasSize(calls);
    }

    @Test
    @DisplayName("a refund Stripe declines is 422 with Stripe's code, and nothing is recorded")
    void declined() {
        // A payment Stripe does not know (reported by a webhook of another account, say).
        String payment = paidByStripe(invoice(), null);
        session.post("/api/v1/payments/" + payment + "/refunds", Map.of("amount", "4.00", "reason", "x"))
                .expectStatus().isEqualTo(422).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("payment.refund_declined")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("resource_missing"));
        assertNothingRefunded(payment);
    }

    @Test
    @DisplayName("Stripe answering 5xx or resetting the connection is 503, outcome unknown, and nothing is recorded")
    void unknown() {
        String payment = paidByStripe(invoice(), "pm_card_visa");
        String error = "{\"error\":{\"type\":\"api_error\",\"message\":\"Something went wrong on Stripe's end.\"}}";
        // As many failures as the tests' max-attempts (2): every try of the refund fails.
        stripe.replies(FakeReply.json(500, error), FakeReply.json(503, error));
        session.post("/api/v1/payments/" + payment + "/refunds", Map.of("amount", "4.00", "reason", "x"))
                .expectStatus().isEqualTo(503).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("payment.refund_outcome_unknown")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("webhook"));
        stripe.replies(FakeReply.connectionReset(), FakeReply.connectionReset());
        session.post("/api/v1/payments/" + payment + "/refunds", Map.of("amount", "4.00", "reason", "x"))
                .expectStatus().isEqualTo(503);
        assertNothingRefunded(payment);
    }

    @Test
    @DisplayName("a refund Stripe accepts as pending is recorded: the money is committed to go back")
    void pending() {
        String payment = paidByStripe(invoice(), "pm_card_refundPending");
        Map<String, Object> refunded = session.created("/api/v1/payments/" + payment + "/refunds",
                Map.of("amount", "10.00", "reason", "Cancelled"));
        assertThat(((Map<?, ?>) refunded.get("payment")).get("status")).isEqualTo("refunded");
        assertThat((String) ((Map<?, ?>) refunded.get("refund")).get("reference")).startsWith("re_");
    }

    @Test
    @DisplayName("without a connected account the refund is 409 and Stripe is not called")
    void notConnected() {
        String payment = paidByStripe(invoice(), "pm_card_visa");
        session.sql("UPDATE payment_provider_account SET environment = NULL, public_key = NULL, secret_sealed = NULL"
                + " WHERE provider = 'stripe'");
        session.post("/api/v1/payments/" + payment + "/refunds", Map.of("amount", "4.00", "reason", "x"))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code")
                .isEqualTo("payment_provider.not_connected");
        assertNothingRefunded(payment);
    }

    @Test
    @DisplayName("the webhook of a refund made through the API changes nothing; one made in Stripe's dashboard is recorded once")
    void refundWebhooks() {
        String payment = paidByStripe(invoice(), "pm_card_visa");
        String intent = reference(payment);
        Map<?, ?> ours = (Map<?, ?>) session.created("/api/v1/payments/" + payment + "/refunds",
                Map.of("amount", "4.00", "reason", "Downtime")).get("refund");
        String re = (String) ours.get("reference");

        deliver(session, SECRET, "evt_rc_ours", "refund.created", refund(re, 400, intent, "succeeded",
                (String) ours.get("id"))).expectStatus().isOk();
        // Refunded in Stripe's dashboard: reported by refund.created and, on older API versions, by charge.refunded
        // listing every refund of the charge; delivered twice too.
        deliver(session, SECRET, "evt_cr", "charge.refunded", """
                {"id": "ch_1", "object": "charge", "amount": 1000, "amount_refunded": 700, "currency": "eur",
                 "payment_intent": "%s", "refunded": false,
                 "refunds": {"object": "list", "data": [%s, %s], "has_more": false}}"""
                .formatted(intent, refund("re_dash_1", 300, intent, "succeeded", null),
                        refund(re, 400, intent, "succeeded", (String) ours.get("id")))).expectStatus().isOk();
        deliver(session, SECRET, "evt_rc_dash", "refund.created", refund("re_dash_1", 300, intent, "succeeded", null))
                .expectStatus().isOk();
        deliver(session, SECRET, "evt_rc_dash", "refund.created", refund("re_dash_1", 300, intent, "succeeded", null))
                .expectStatus().isOk().expectBody().jsonPath("$.duplicate").isEqualTo(true);
        deliver(session, SECRET, "evt_rf_failed", "refund.updated", refund("re_failed", 100, intent, "failed", null))
                .expectStatus().isOk();

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(session.count(
                "SELECT count(*) AS n FROM webhook_event WHERE status = 'received'")).isZero());
        session.get("/api/v1/payments/" + payment + "/refunds").expectBody().jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].reference").isEqualTo(re).jsonPath("$[0].reason").isEqualTo("Downtime")
                .jsonPath("$[1].reference").isEqualTo("re_dash_1").jsonPath("$[1].amount").isEqualTo("3.00");
        session.get("/api/v1/payments/" + payment).expectBody().jsonPath("$.refunded").isEqualTo("7.00");
        assertThat(session.events(payment)).containsExactly("payment.received", "payment.refunded",
                "payment.refunded");
        assertThat(session.count("SELECT count(*) AS n FROM webhook_event WHERE status = 'processed'")).isEqualTo(5);
        session.get("/api/v1/webhook-events?type=refund.created").expectBody()
                .jsonPath("$.items[0].outcome").value(outcome -> assertThat((String) outcome)
                        .contains("recorded already"));
        session.get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true);
    }

    @Test
    @DisplayName("a refund made at Stripe beyond the customer's credit is recorded anyway and leaves the customer owing")
    void refundBeyondCredit() {
        String invoice = invoice();
        String payment = paidByStripe(invoice, "pm_card_visa");
        // The paid invoice credited in full, and that credit spent at once on the next invoice.
        session.created("/api/v1/invoices/" + invoice + "/credit-notes", Map.of("reason", "Goodwill",
                "lines", List.of(Map.of("description", "Goodwill", "amount", "10.00"))));
        session.get("/api/v1/invoices/" + invoice()).expectBody().jsonPath("$.amountDue").isEqualTo("0.00");
        // Staff are held to the credit, before Stripe is asked...
        int calls = stripe.requests("POST", "/v1/refunds").size();
        session.post("/api/v1/payments/" + payment + "/refunds", Map.of("amount", "10.00", "reason", "x"))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("payment.credit_short");
        assertThat(stripe.requests("POST", "/v1/refunds")).hasSize(calls);

        // ...but a refund made in Stripe's dashboard has happened: recorded, and the customer owes it.
        deliver(session, SECRET, "evt_rc_all", "refund.created", refund("re_dash_all", 1000, reference(payment),
                "succeeded", null)).expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session.get("/api/v1/payments/"
                + payment).expectBody().jsonPath("$.status").isEqualTo("refunded"));
        session.get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("0.00")
                .jsonPath("$.owed").isEqualTo("10.00").jsonPath("$.due").isEqualTo("0.00");
        session.get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true);
        String audit = session.get("/api/v1/audit?action=payment.refunded").expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(audit).contains("leftOwing");
        // The next credit the customer gets settles what it owes first, and is not spent on invoices meanwhile.
        session.grantCredit(acme, "4.00");
        session.get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("0.00")
                .jsonPath("$.owed").isEqualTo("6.00");
        session.get("/api/v1/invoices/" + invoice()).expectBody().jsonPath("$.amountDue").isEqualTo("10.00");
    }

    /** A Stripe Refund object (shape of stripe-fixtures3.json). */
    static String refund(String id, long amount, String intent, String status, String ourId) {
        return """
                {"id": "%s", "object": "refund", "amount": %d, "currency": "eur", "charge": "ch_1",
                 "payment_intent": "%s", "reason": null, "status": "%s", "metadata": %s}"""
                .formatted(id, amount, intent, status, ourId == null ? "{}"
                        : "{\"hostrail_refund_id\": \"" + ourId + "\"}");
    }

    private void assertNothingRefunded(String payment) {
        session.get("/api/v1/payments/" + payment + "/refunds").expectBody().jsonPath("$.length()").isEqualTo(0);
        session.get("/api/v1/payments/" + payment).expectBody().jsonPath("$.refunded").isEqualTo("0.00");
        assertThat(session.count("SELECT count(*) AS n FROM credit_note")).isZero();
        assertThat(session.events(payment)).containsExactly("payment.received");
    }

    /** An open invoice of 10.00 for acme: a subscription's first. */
    private String invoice() {
        return (String) session.created("/api/v1/subscriptions", Map.of("customerId", acme, "productId", product,
                "cycle", "monthly")).get("invoiceId");
    }

    private String reference(String payment) {
        return (String) session.read("/api/v1/payments/" + payment).get("reference");
    }

    /**
     * The invoice paid at Stripe: a PaymentIntent confirmed at the fake, as Stripe.js would, and its
     * payment_intent.succeeded delivered; answers the payment recorded.
     */
    String paidByStripe(String invoice, String paymentMethod) {
        String id = paymentMethod == null ? "pi_unknown_" + System.nanoTime() : intentAtStripe(invoice, paymentMethod);
        deliver(session, SECRET, "evt_paid_" + id, "payment_intent.succeeded", """
                {"id": "%s", "object": "payment_intent", "amount": 1000, "amount_received": 1000, "currency": "eur",
                 "metadata": {"invoice_id": "%s"}, "status": "succeeded"}""".formatted(id, invoice))
                .expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(session.count(
                "SELECT count(*) AS n FROM payment WHERE reference = '" + id + "'")).isEqualTo(1));
        return session.text("SELECT id::text FROM payment WHERE reference = '" + id + "'");
    }

    /** A PaymentIntent of 10.00 confirmed at the fake Stripe, as Stripe.js would; its id. */
    String intentAtStripe(String invoice, String paymentMethod) {
        var form = new LinkedMultiValueMap<String, String>();
        form.add("amount", "1000");
        form.add("currency", "eur");
        form.add("confirm", "true");
        form.add("payment_method", paymentMethod);
        form.add("metadata[invoice_id]", invoice);
        Map<?, ?> intent = WebTestClient.bindToServer().baseUrl(stripe.baseUrl().toString()).build().post()
                .uri("/v1/payment_intents").body(BodyInserters.fromFormData(form)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (String) intent.get("id");
    }

    /** A signed Stripe event delivered to the session's tenant. */
    WebTestClient.ResponseSpec deliver(TenantSession to, String secret, String eventId, String type, String object) {
        String body = """
                {"id": "%s", "object": "event", "api_version": "2025-03-31.basil", "created": %d,
                 "data": {"object": %s}, "livemode": false, "pending_webhooks": 1, "type": "%s"}"""
                .formatted(eventId, Instant.now().getEpochSecond(), object, type);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return http.post().uri("/api/v1/webhooks/stripe/" + to.tenantId())
                .header("Stripe-Signature", StripeSignature.header(secret, Instant.now().getEpochSecond(), bytes))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(bytes).exchange();
    }
}
