package io.hostrail.api.payment;

import static io.hostrail.api.support.Identities.login;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.FakeProviders;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.ShiftedClock;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.payment.service.PaymentAttemptService;
import io.hostrail.shared.model.TenantId;
import io.hostrail.webclient.paypal.FakePayPalServer;
import io.hostrail.webclient.support.FakeReply;
import io.hostrail.webclient.support.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * Paying invoices through Stripe and PayPal by the API, against fakes speaking their wire formats: the payer's
 * checkout, its completion, answers lost on the way and a process stopped between the charge and its record, all
 * settled to one payment, never two and never none.
 */
@HostrailIntegrationTest
class CheckoutIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired PaymentAttemptService attempts;

    private TenantSession session;
    private String product;
    private String acme;

    @BeforeEach
    void tenant() {
        session = TenantSession.fresh(http, bootstrap, database);
        product = session.monthlyProduct("Starter", "10.00");
        acme = session.customer("EUR", null);
    }

    @AfterEach
    void wallClock() {
        FakeProviders.forgetScripts();
        ShiftedClock.reset();
    }

    @Test
    @DisplayName("Stripe: checkout gives the client secret, again the same attempt; complete records one payment")
    void stripeCheckout() {
        connectStripe();
        Map<?, ?> ordered = order(acme);
        String invoice = (String) ordered.get("invoiceId");

        Map<?, ?> checkout = session.created("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "stripe"));
        Map<?, ?> attempt = (Map<?, ?>) checkout.get("attempt");
        String attemptId = (String) attempt.get("id");
        assertThat(attempt.get("status")).isEqualTo("pending");
        assertThat(attempt.get("amount")).isEqualTo("10.00");
        String intent = (String) attempt.get("reference");
        assertThat(intent).startsWith("pi_");
        assertThat((String) checkout.get("clientSecret")).startsWith(intent + "_secret_");
        assertThat(checkout.get("publicKey")).isEqualTo(PaymentProviderIT.STRIPE_PUBLISHABLE);
        RecordedRequest created = intentsFor(attemptId).getFirst();
        assertThat(created.header("Idempotency-Key")).isEqualTo("hostrail-charge-" + attemptId);
        assertThat(created.header("Authorization")).isEqualTo("Bearer " + PaymentProviderIT.STRIPE_SECRET);
        assertThat(created.form()).containsEntry("amount", "1000").containsEntry("currency", "eur")
                .containsEntry("metadata[invoice_id]", invoice)
                .containsEntry("metadata[tenant_id]", session.tenantId());

        Map<?, ?> again = session.created("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "stripe"));
        assertThat(((Map<?, ?>) again.get("attempt")).get("id")).isEqualTo(attemptId);
        assertThat(again.get("clientSecret")).isEqualTo(checkout.get("clientSecret"));
        assertThat(intentsFor(attemptId)).hasSize(1);

        // Stripe.js confirms the PaymentIntent in the payer's browser.
        FakeProviders.stripe().setIntentStatus(intent, "succeeded");
        Map<?, ?> completed = action(attemptId, "complete");
        assertThat(completed.get("status")).isEqualTo("succeeded");
        String payment = (String) completed.get("paymentId");
        session.get("/api/v1/payments/" + payment).expectBody()
                .jsonPath("$.provider").isEqualTo("stripe")
                .jsonPath("$.method").isEqualTo("card")
                .jsonPath("$.reference").isEqualTo(intent)
                .jsonPath("$.applied").isEqualTo("10.00");
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("paid");
        String subscription = (String) ((Map<?, ?>) ordered.get("subscription")).get("id");
        // Started by the invoice.paid consumer, on whichever instance takes the event.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                "active".equals(session.get("/api/v1/subscriptions/" + subscription).expectBody(Map.class)
                        .returnResult().getResponseBody().get("status")));

        session.post("/api/v1/payment-attempts/" + attemptId + "/complete", Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.paymentId").isEqualTo(payment);
        assertThat(session.count("SELECT count(*) AS n FROM payment WHERE invoice_id = '" + invoice + "'"))
                .isEqualTo(1);
        session.post("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "stripe")).expectStatus()
                .isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("https://hostrail.io/problems/payment_attempt.invoice_not_payable");
    }

    @Test
    @DisplayName("PayPal: checkout gives the approval URL; complete captures once; a declined capture stays open")
    void payPalCheckout() {
        connectPayPal();
        String invoice = (String) order(acme).get("invoiceId");
        Map<String, String> returns = Map.of("provider", "paypal", "returnUrl", "https://portal.example/paid",
                "cancelUrl", "https://portal.example/cancelled");

        Map<?, ?> checkout = session.created("/api/v1/invoices/" + invoice + "/checkout", returns);
        Map<?, ?> attempt = (Map<?, ?>) checkout.get("attempt");
        String attemptId = (String) attempt.get("id");
        String order = (String) attempt.get("reference");
        assertThat(attempt.get("status")).isEqualTo("pending");
        assertThat((String) checkout.get("approvalUrl")).contains("token=" + order);
        assertThat(checkout.get("clientSecret")).isNull();

        session.post("/api/v1/payment-attempts/" + attemptId + "/complete", Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("declined")
                .jsonPath("$.declineCode").isEqualTo("ORDER_NOT_APPROVED");
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("open");
        assertThat(session.events(invoice)).contains("payment.failed");

        Map<?, ?> second = session.created("/api/v1/invoices/" + invoice + "/checkout", returns);
        String secondId = (String) ((Map<?, ?>) second.get("attempt")).get("id");
        assertThat(secondId).isNotEqualTo(attemptId);
        String secondOrder = (String) ((Map<?, ?>) second.get("attempt")).get("reference");
        FakeProviders.payPal().approve(secondOrder);
        Map<?, ?> completed = action(secondId, "complete");
        assertThat(completed.get("status")).isEqualTo("succeeded");
        session.get("/api/v1/payments/" + completed.get("paymentId")).expectBody()
                .jsonPath("$.provider").isEqualTo("paypal")
                .jsonPath("$.method").isEqualTo("paypal");
        session.post("/api/v1/payment-attempts/" + secondId + "/complete", Map.of()).expectStatus().isOk();
        assertThat(FakeProviders.payPal().requests("POST", "/v2/checkout/orders/" + secondOrder + "/capture"))
                .hasSize(1);
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("paid");
    }

    @Test
    @DisplayName("an answer Stripe never gave leaves the attempt unknown; the check finds it, checkout resumes it")
    void lostAnswer() {
        connectStripe();
        String invoice = (String) order(acme).get("invoiceId");
        // Both tries (the first and its keyed retry) are carried out by Stripe and answered after the client gave up.
        FakeProviders.stripe().answerNextAfter(Duration.ofSeconds(3)).answerNextAfter(Duration.ofSeconds(3));

        Map<?, ?> checkout = session.created("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "stripe"));
        Map<?, ?> attempt = (Map<?, ?>) checkout.get("attempt");
        String attemptId = (String) attempt.get("id");
        assertThat(attempt.get("status")).isEqualTo("unknown");
        assertThat(attempt.get("declineCode")).isEqualTo("TIMEOUT");
        assertThat(attempt.get("nextCheckAt")).isNotNull();
        assertThat(checkout.get("clientSecret")).isNull();
        assertThat(intentsFor(attemptId)).hasSize(2);
        assertThat(intentsFor(attemptId)).extracting(r -> r.header("Idempotency-Key")).containsOnly(
                "hostrail-charge-" + attemptId);

        Map<?, ?> checked = action(attemptId, "check");
        assertThat(checked.get("status")).isEqualTo("pending");
        assertThat((String) checked.get("reference")).startsWith("pi_");

        Map<?, ?> resumed = session.created("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "stripe"));
        assertThat(((Map<?, ?>) resumed.get("attempt")).get("id")).isEqualTo(attemptId);
        assertThat((String) resumed.get("clientSecret")).startsWith(checked.get("reference") + "_secret_");
    }

    @Test
    @DisplayName("a process stopped between Stripe's charge and its record: the janitor finds the charge and records it once")
    void crashBetweenChargeAndRecord() {
        connectStripe();
        String invoice = (String) order(acme).get("invoiceId");
        UUID charged = UUID.randomUUID();
        UUID neverSent = UUID.randomUUID();
        // What the application commits before it calls Stripe; then it stops, one attempt after Stripe charged the
        // card, the other before the request left.
        for (UUID attempt : List.of(charged, neverSent)) {
            session.sql("""
                    INSERT INTO payment_attempt (id, tenant_id, invoice_id, customer_id, provider, purpose, currency,
                        amount_minor, payment_method_reference, status, next_check_at, created_at, updated_at)
                    VALUES ('%s', '%s', '%s', '%s', 'stripe', '%s', 'EUR', 1000, %s, 'started',
                        now() + interval '2 minutes', now(), now())
                    """.formatted(attempt, session.tenantId(), invoice, acme,
                    attempt == charged ? "off_session" : "checkout", attempt == charged ? "'pm_card_visa'" : "NULL"));
        }
        stripeCharge(charged, invoice, 1000);
        TenantId tenant = new TenantId(UUID.fromString(session.tenantId()));

        assertThat(attempts.checkDue(tenant, 50).block(Duration.ofSeconds(30))).isZero();
        ShiftedClock.advance(Duration.ofMinutes(3));
        assertThat(attempts.checkDue(tenant, 50).block(Duration.ofSeconds(30))).isEqualTo(2);

        session.get("/api/v1/payment-attempts/" + charged).expectBody()
                .jsonPath("$.status").isEqualTo("succeeded")
                .jsonPath("$.paymentId").isNotEmpty();
        session.get("/api/v1/payment-attempts/" + neverSent).expectBody()
                .jsonPath("$.status").isEqualTo("declined")
                .jsonPath("$.declineCode").isEqualTo("not_created");
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("paid");
        assertThat(session.count("SELECT count(*) AS n FROM payment WHERE invoice_id = '" + invoice + "'"))
                .isEqualTo(1);

        ShiftedClock.advance(Duration.ofHours(2));
        assertThat(attempts.checkDue(tenant, 50).block(Duration.ofSeconds(30))).isZero();
        assertThat(session.count("SELECT count(*) AS n FROM payment WHERE invoice_id = '" + invoice + "'"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("Stripe down: the attempt is unknown, never declined, until Stripe shows it made nothing")
    void providerOutage() {
        connectStripe();
        String invoice = (String) order(acme).get("invoiceId");
        FakeReply unavailable = FakeReply.json(503, "{\"error\":{\"type\":\"api_error\",\"message\":\"down\"}}");
        FakeProviders.stripe().replies(unavailable, unavailable);

        Map<?, ?> attempt = (Map<?, ?>) session.created("/api/v1/invoices/" + invoice + "/checkout",
                Map.of("provider", "stripe")).get("attempt");
        assertThat(attempt.get("status")).isEqualTo("unknown");
        assertThat(attempt.get("declineCode")).isEqualTo("HTTP_503");
        String attemptId = (String) attempt.get("id");

        // Found nothing so soon after: Stripe's search may lag, so it stays open.
        session.post("/api/v1/payment-attempts/" + attemptId + "/check", Map.of()).expectBody()
                .jsonPath("$.status").isEqualTo("unknown");
        ShiftedClock.advance(Duration.ofMinutes(3));
        session.post("/api/v1/payment-attempts/" + attemptId + "/check", Map.of()).expectBody()
                .jsonPath("$.status").isEqualTo("declined")
                .jsonPath("$.declineCode").isEqualTo("not_created");
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("open");
        session.get("/api/v1/payment-attempts?invoiceId=" + invoice).expectBody()
                .jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    @DisplayName("bad checkouts are refused with a problem and start nothing")
    void refused() {
        String invoice = (String) order(acme).get("invoiceId");
        session.post("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "stripe")).expectStatus()
                .isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("https://hostrail.io/problems/payment_provider.not_connected");
        connectStripe();
        connectPayPal();
        session.post("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "manual")).expectStatus()
                .isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("provider");
        session.post("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "bitcoin")).expectStatus()
                .isBadRequest();
        session.post("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "paypal",
                        "returnUrl", "javascript:alert(1)")).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors.length()").isEqualTo(2);
        session.post("/api/v1/invoices/" + invoice + "/checkout", "{\"provider\": ").expectStatus().isBadRequest();
        session.post("/api/v1/invoices/" + UUID.randomUUID() + "/checkout", Map.of("provider", "stripe"))
                .expectStatus().isNotFound();
        TenantSession other = TenantSession.fresh(http, bootstrap, database);
        other.post("/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "stripe")).expectStatus()
                .isNotFound();
        session.post("/api/v1/payment-attempts/" + UUID.randomUUID() + "/complete", Map.of()).expectStatus()
                .isNotFound();

        String beta = session.customer("EUR", null);
        session.post("/api/v1/customers/" + beta + "/users", Map.of("email", "ola@beta.example",
                "password", TenantSession.PASSWORD)).expectStatus().isCreated();
        String client = (String) login(http, session.tenant(), "ola@beta.example", TenantSession.PASSWORD)
                .get("accessToken");
        session.post(http, "/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "stripe"), client)
                .expectStatus().isNotFound();
        assertThat(session.count("SELECT count(*) AS n FROM payment_attempt")).isZero();

        // The customer's own user pays their own invoice.
        session.post("/api/v1/customers/" + acme + "/users", Map.of("email", "jana@acme.example",
                "password", TenantSession.PASSWORD)).expectStatus().isCreated();
        String own = (String) login(http, session.tenant(), "jana@acme.example", TenantSession.PASSWORD)
                .get("accessToken");
        session.post(http, "/api/v1/invoices/" + invoice + "/checkout", Map.of("provider", "stripe"), own)
                .expectStatus().isCreated();
        session.post(http, "/api/v1/payment-attempts/" + UUID.randomUUID() + "/check", Map.of(), own)
                .expectStatus().isForbidden();
    }

    private Map<?, ?> action(String attemptId, String action) {
        return session.post("/api/v1/payment-attempts/" + attemptId + "/" + action, Map.of()).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private Map<?, ?> order(String customer) {
        return session.created("/api/v1/subscriptions", Map.of("customerId", customer, "productId", product,
                "cycle", "monthly"));
    }

    private void connectStripe() {
        session.put("/api/v1/settings/payment-providers/stripe", Map.of("secretKey", PaymentProviderIT.STRIPE_SECRET,
                "publishableKey", PaymentProviderIT.STRIPE_PUBLISHABLE)).expectStatus().isOk();
    }

    private void connectPayPal() {
        session.put("/api/v1/settings/payment-providers/paypal", Map.of("clientId", FakePayPalServer.CLIENT_ID,
                "clientSecret", FakePayPalServer.CLIENT_SECRET, "webhookId", "1JE4291016473214C",
                "environment", "sandbox")).expectStatus().isOk();
    }

    private static List<RecordedRequest> intentsFor(String attemptId) {
        return FakeProviders.stripe().requests("POST", "/v1/payment_intents").stream()
                .filter(r -> attemptId.equals(r.form().get("metadata[hostrail_attempt_id]"))).toList();
    }

    /** A charge Stripe made for the attempt, as the application's request would have made it. */
    private static void stripeCharge(UUID attempt, String invoice, long amount) {
        String form = "amount=" + amount + "&currency=eur&confirm=true&off_session=true&payment_method=pm_card_visa"
                + "&metadata[hostrail_attempt_id]=" + attempt + "&metadata[invoice_id]=" + invoice;
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(FakeProviders.stripe().baseUrl() + "/v1/payment_intents"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Idempotency-Key", "hostrail-charge-" + attempt)
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
