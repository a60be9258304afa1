package io.hostrail.api.payment;

import static io.hostrail.api.support.Identities.login;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.FakeProviders;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.Identities;
import io.hostrail.api.support.ShiftedClock;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.webclient.support.FakeReply;
import io.hostrail.webclient.support.RecordedRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Charging a customer's saved card with the customer away: staff charging an invoice, and dunning's payment retries,
 * against the fake Stripe: one charge per attempt, a decline kept as a decline, the invoice paid once.
 */
@HostrailIntegrationTest
class OffSessionChargeIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private TenantSession session;
    private String product;

    @BeforeEach
    void tenant() {
        session = TenantSession.fresh(http, bootstrap, database);
        product = session.monthlyProduct("Starter", "10.00");
        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", PaymentProviderIT.STRIPE_SECRET,
                "publishableKey", PaymentProviderIT.STRIPE_PUBLISHABLE)).expectStatus().isOk();
    }

    @AfterEach
    void wallClock() {
        FakeProviders.forgetScripts();
        ShiftedClock.reset();
    }

    @Test
    @DisplayName("staff charge the default card off-session: one keyed PaymentIntent, the invoice paid, the service started")
    void staffCharge() {
        String customer = session.customer("EUR", null);
        String card = saveCard(customer);
        Map<?, ?> ordered = order(customer);
        String invoice = (String) ordered.get("invoiceId");

        Map<?, ?> attempt = session.created("/api/v1/invoices/" + invoice + "/charge", Map.of());
        assertThat(attempt.get("status")).isEqualTo("succeeded");
        assertThat(attempt.get("purpose")).isEqualTo("off_session");
        RecordedRequest charge = intentsFor((String) attempt.get("id")).getFirst();
        assertThat(charge.form()).containsEntry("off_session", "true").containsEntry("confirm", "true")
                .containsEntry("payment_method", card).containsEntry("amount", "1000");
        assertThat(charge.form().get("customer")).startsWith("cus_");
        assertThat(charge.header("Idempotency-Key")).isEqualTo("hostrail-charge-" + attempt.get("id"));
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("paid");
        String subscription = (String) ((Map<?, ?>) ordered.get("subscription")).get("id");
        // Started by the invoice.paid consumer, on whichever instance takes the event.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                "active".equals(session.get("/api/v1/subscriptions/" + subscription).expectBody(Map.class)
                        .returnResult().getResponseBody().get("status")));

        session.post("/api/v1/invoices/" + invoice + "/charge", Map.of()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type")
                .isEqualTo("https://hostrail.io/problems/payment_attempt.invoice_not_payable");
    }

    @Test
    @DisplayName("a declined card is a declined attempt with Stripe's code; the invoice stays open for dunning")
    void declined() {
        String customer = session.customer("EUR", null);
        saveCard(customer);
        String invoice = (String) order(customer).get("invoiceId");
        FakeProviders.stripe().replies(FakeReply.json(402, """
                {"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds",
                 "message":"Your card has insufficient funds.","payment_intent":{"id":"pi_declined_%s",
                 "object":"payment_intent","status":"requires_payment_method"}}}""".formatted(invoice)));

        Map<?, ?> attempt = session.created("/api/v1/invoices/" + invoice + "/charge", Map.of());
        assertThat(attempt.get("status")).isEqualTo("declined");
        assertThat(attempt.get("declineCode")).isEqualTo("insufficient_funds");
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("open");
        assertThat(session.events(invoice)).contains("payment.failed");
    }

    @Test
    @DisplayName("no saved card, another tenant's invoice or a client user: refused, nothing charged")
    void refused() {
        String customer = session.customer("EUR", null);
        String invoice = (String) order(customer).get("invoiceId");
        session.post("/api/v1/invoices/" + invoice + "/charge", Map.of()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type")
                .isEqualTo("https://hostrail.io/problems/payment_attempt.no_saved_method");
        TenantSession.fresh(http, bootstrap, database).post("/api/v1/invoices/" + invoice + "/charge", Map.of())
                .expectStatus().isNotFound();
        session.post("/api/v1/invoices/" + UUID.randomUUID() + "/charge", Map.of()).expectStatus().isNotFound();
        session.post("/api/v1/customers/" + customer + "/users", Map.of("email", "jana@acme.example",
                "password", TenantSession.PASSWORD)).expectStatus().isCreated();
        String client = (String) login(http, session.tenant(), "jana@acme.example", TenantSession.PASSWORD)
                .get("accessToken");
        session.post(http, "/api/v1/invoices/" + invoice + "/charge", Map.of(), client).expectStatus().isForbidden();
        assertThat(session.count("SELECT count(*) AS n FROM payment_attempt")).isZero();
    }

    @Test
    @DisplayName("dunning's retry day charges the saved card once, however often the run runs, and the invoice is paid")
    void dunningRetry() {
        Map<String, Object> policy = new HashMap<>();
        policy.put("reminderOffsets", List.of());
        policy.put("retryDays", List.of(1, 3));
        policy.put("suspendAfterDays", null);
        policy.put("terminateAfterDays", null);
        policy.put("version", 0);
        session.put("/api/v1/settings/dunning", policy).expectStatus().isOk();
        String customer = session.customer("EUR", null);
        String invoice = (String) order(customer).get("invoiceId");
        String card = saveCard(customer);

        ShiftedClock.advance(Duration.ofDays(30).plusHours(1));
        String token = Identities.accessToken(http, session.tenant(), "owner@" + session.tenant() + ".test",
                TenantSession.PASSWORD);
        runDunning(token);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                "paid".equals(session.get("/api/v1/invoices/" + invoice, token).expectBody(Map.class).returnResult()
                        .getResponseBody().get("status")));
        runDunning(token);

        Map<?, ?> attempts = session.get("/api/v1/payment-attempts?invoiceId=" + invoice, token)
                .expectBody(Map.class).returnResult().getResponseBody();
        List<?> items = (List<?>) attempts.get("items");
        assertThat(items).hasSize(1);
        Map<?, ?> attempt = (Map<?, ?>) items.getFirst();
        assertThat(attempt.get("status")).isEqualTo("succeeded");
        assertThat(intentsFor((String) attempt.get("id"))).hasSize(1)
                .allSatisfy(r -> assertThat(r.form()).containsEntry("payment_method", card));
        assertThat(session.count("SELECT count(*) AS n FROM dunning_step WHERE invoice_id = '" + invoice
                + "' AND kind = 'retry'")).isEqualTo(2);
        assertThat(session.count("SELECT count(*) AS n FROM dunning_step WHERE invoice_id = '" + invoice
                + "' AND step = 'retry:1' AND outcome = 'skipped'")).isEqualTo(1);
    }

    private void runDunning(String token) {
        String location = session.post(http, "/api/v1/dunning-runs", Map.of(), token).expectStatus().isAccepted()
                .returnResult(Void.class).getResponseHeaders().getLocation().toString();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                !"running".equals(session.get(location, token).expectBody(Map.class).returnResult().getResponseBody()
                        .get("status")));
    }

    /** A card saved as the SPA saves one: a set-up, Stripe.js confirming it, then a sync. */
    private String saveCard(String customer) {
        String methods = "/api/v1/customers/" + customer + "/payment-methods";
        Map<?, ?> setup = session.created(methods + "/setups", Map.of());
        FakeProviders.stripe().confirmSetup((String) setup.get("clientSecret"), "pm_card_visa");
        Map<?, ?> synced = session.post(methods + "/sync", Map.of()).expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        Map<?, ?> saved = (Map<?, ?>) ((List<?>) synced.get("items")).getFirst();
        assertThat(saved.get("isDefault")).isEqualTo(true);
        return (String) saved.get("reference");
    }

    private Map<?, ?> order(String customer) {
        return session.created("/api/v1/subscriptions", Map.of("customerId", customer, "productId", product,
                "cycle", "monthly"));
    }

    private static List<RecordedRequest> intentsFor(String attemptId) {
        return FakeProviders.stripe().requests("POST", "/v1/payment_intents").stream()
                .filter(r -> attemptId.equals(r.form().get("metadata[hostrail_attempt_id]"))).toList();
    }
}
