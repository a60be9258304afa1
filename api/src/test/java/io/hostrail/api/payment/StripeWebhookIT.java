package io.hostrail.api.payment;

import static io.hostrail.api.support.Identities.login;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.LargeResponses;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.payment.model.StripeSignature;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Stripe webhooks through the API: signed deliveries stored once and processed to their effect once, in any order and
 * however often repeated; forged, stale, tampered and malformed ones refused with nothing stored.
 */
@HostrailIntegrationTest
class StripeWebhookIT {

    private static final String SECRET = "whsec_current0123456789abcdef";
    private static final String OLD_SECRET = "whsec_previous0123456789abcdef";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private TenantSession session;
    private String product;
    private String acme;

    @BeforeEach
    void stripeEndpoint() {
        session = TenantSession.fresh(http, bootstrap, database);
        session.put("/api/v1/settings/payment-providers/stripe/webhook-secrets",
                Map.of("webhookSecrets", List.of(SECRET, OLD_SECRET))).expectStatus().isNoContent();
        product = session.monthlyProduct("Starter", "10.00");
        acme = session.customer("EUR", null);
    }

    @Test
    @DisplayName("a signed payment_intent.succeeded is stored, acknowledged, and pays the invoice once however often sent")
    void succeededOnce() {
        Map<?, ?> ordered = session.created("/api/v1/subscriptions", Map.of("customerId", acme, "productId", product,
                "cycle", "monthly"));
        String invoice = (String) ordered.get("invoiceId");
        String subscription = (String) ((Map<?, ?>) ordered.get("subscription")).get("id");
        String succeeded = event("evt_succeeded_1", "payment_intent.succeeded", intent("pi_A", 1000, invoice));

        Map<?, ?> first = deliver(succeeded, SECRET).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        assertThat(first.get("duplicate")).isEqualTo(false);
        assertThat(first.get("eventId")).isEqualTo("evt_succeeded_1");
        deliver(succeeded, SECRET).expectStatus().isOk().expectBody()
                .jsonPath("$.duplicate").isEqualTo(true).jsonPath("$.id").isEqualTo(first.get("id"));
        // The same payment in another event (Stripe resends under new ids too), then a "processing" that arrives
        // after the payment was recorded. (Deliveries are processed concurrently, so "after" is awaited.)
        deliver(event("evt_succeeded_2", "payment_intent.succeeded", intent("pi_A", 1000, invoice)), OLD_SECRET)
                .expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(session.count(
                "SELECT count(*) AS n FROM payment WHERE reference = 'pi_A'")).isEqualTo(1));
        deliver(event("evt_processing_late", "payment_intent.processing", intent("pi_A", 0, invoice)), SECRET)
                .expectStatus().isOk();

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(session.count(
                "SELECT count(*) AS n FROM webhook_event WHERE status = 'processed'")).isEqualTo(3));
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("paid");
        session.get("/api/v1/payments?invoiceId=" + invoice).expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].provider").isEqualTo("stripe").jsonPath("$.items[0].method").isEqualTo("card")
                .jsonPath("$.items[0].reference").isEqualTo("pi_A").jsonPath("$.items[0].amount").isEqualTo("10.00");
        session.get("/api/v1/webhook-events?type=payment_intent.processing").expectBody()
                .jsonPath("$.items[0].outcome").value(outcome -> assertThat((String) outcome)
                        .startsWith("already succeeded"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session.get("/api/v1/subscriptions/"
                + subscription).expectBody().jsonPath("$.status").isEqualTo("active"));
        assertThat(session.count("SELECT count(*) AS n FROM ledger_entry WHERE account = 'cash'")).isEqualTo(1);
        session.get("/api/v1/webhook-events/" + first.get("id")).expectBody()
                .jsonPath("$.payload").isEqualTo(succeeded).jsonPath("$.attempts").isEqualTo(1);
    }

    @Test
    @DisplayName("processing before succeeded, a rotated secret, disputes and failures: each has its one effect")
    void reorderedAndOtherTypes() {
        String invoice = (String) session.created("/api/v1/subscriptions", Map.of("customerId", acme,
                "productId", product, "cycle", "monthly")).get("invoiceId");
        deliver(event("evt_p", "payment_intent.processing", intent("pi_B", 0, invoice)), OLD_SECRET)
                .expectStatus().isOk();
        deliver(event("evt_s", "payment_intent.succeeded", intent("pi_B", 1200, invoice)), OLD_SECRET)
                .expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session.get("/api/v1/invoices/"
                + invoice).expectBody().jsonPath("$.status").isEqualTo("paid"));
        // 12.00 for a 10.00 invoice: the rest is the customer's credit, not lost.
        session.get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("2.00");

        deliver(event("evt_d", "charge.dispute.created", """
                {"id": "dp_1", "object": "dispute", "amount": 1200, "currency": "eur", "charge": "ch_1",
                 "payment_intent": "pi_B", "reason": "fraudulent", "status": "needs_response"}"""), SECRET)
                .expectStatus().isOk();
        String other = (String) session.created("/api/v1/subscriptions", Map.of("customerId", acme,
                "productId", product, "cycle", "monthly")).get("invoiceId");
        deliver(event("evt_f", "payment_intent.payment_failed", """
                {"id": "pi_C", "object": "payment_intent", "amount": 800, "currency": "eur", "status":
                 "requires_payment_method", "metadata": {"invoice_id": "%s"}, "last_payment_error":
                 {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                  "message": "Your card has insufficient funds."}}""".formatted(other)), SECRET).expectStatus().isOk();
        deliver(event("evt_u", "customer.created", "{\"id\": \"cus_1\", \"object\": \"customer\"}"), SECRET)
                .expectStatus().isOk();

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(session.count(
                "SELECT count(*) AS n FROM webhook_event WHERE status = 'received'")).isZero());
        session.get("/api/v1/payments?invoiceId=" + invoice).expectBody().jsonPath("$.items[0].disputed")
                .isEqualTo(true);
        assertThat(session.events(other)).contains("payment.failed");
        session.get("/api/v1/webhook-events?status=unhandled").expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].eventType").isEqualTo("customer.created")
                .jsonPath("$.items[0].payload").doesNotExist();
        String metrics = LargeResponses.client(http).get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics.lines()).anyMatch(line -> line.startsWith("hostrail_webhooks_unhandled_total{")
                && line.contains("provider=\"stripe\"") && line.contains("type=\"customer.created\""));
    }

    @Test
    @DisplayName("a payment for an unknown invoice fails, is listed, and is replayed once the cause is known")
    void failedAndReplayed() {
        String unknown = UUID.randomUUID().toString();
        deliver(event("evt_x", "payment_intent.succeeded", intent("pi_X", 500, unknown)), SECRET).expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session.get(
                "/api/v1/webhook-events?status=failed").expectBody().jsonPath("$.items.length()").isEqualTo(1));
        String id = (String) ((Map<?, ?>) ((List<?>) session.read("/api/v1/webhook-events?status=failed")
                .get("items")).getFirst()).get("id");
        session.post("/api/v1/webhook-events/" + id + "/replay", null).expectStatus().isAccepted();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session.get("/api/v1/webhook-events/"
                + id).expectBody().jsonPath("$.attempts").isEqualTo(2).jsonPath("$.status").isEqualTo("failed"));
        assertThat(session.count("SELECT count(*) AS n FROM payment")).isZero();

        String invoice = (String) session.created("/api/v1/subscriptions", Map.of("customerId", acme,
                "productId", product, "cycle", "monthly")).get("invoiceId");
        deliver(event("evt_ok", "payment_intent.succeeded", intent("pi_OK", 1000, invoice)), SECRET)
                .expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session.get("/api/v1/invoices/"
                + invoice).expectBody().jsonPath("$.status").isEqualTo("paid"));
        String processed = (String) ((Map<?, ?>) ((List<?>) session.read(
                "/api/v1/webhook-events?type=payment_intent.succeeded&status=processed").get("items")).getFirst())
                .get("id");
        session.post("/api/v1/webhook-events/" + processed + "/replay", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("webhook_event.already_processed");
    }

    @Test
    @DisplayName("forged, stale, tampered, unsigned and malformed deliveries are refused and nothing is stored")
    void refused() {
        String body = event("evt_r", "payment_intent.succeeded", intent("pi_R", 1000, UUID.randomUUID().toString()));
        long now = Instant.now().getEpochSecond();
        refused(body, StripeSignature.header("whsec_forged0123456789abcdef", now, bytes(body)));
        refused(body, StripeSignature.header(SECRET, now - 310, bytes(body)));
        refused(body, StripeSignature.header(SECRET, now + 310, bytes(body)));
        refused(body.replace("1000", "100000"), StripeSignature.header(SECRET, now, bytes(body)));
        refused(body, null);
        refused(body, "t=" + now);
        refused(body, "v1=abc,t=notanumber");
        refused(body, "t=" + now + ",v1=zz");
        // Signed, but not a Stripe event.
        String notAnEvent = "{\"hello\": \"world\"}";
        post(session.tenantId(), notAnEvent, StripeSignature.header(SECRET, now, bytes(notAnEvent)))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("webhook.malformed");
        post(session.tenantId(), "not json", StripeSignature.header(SECRET, now, bytes("not json")))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("webhook.malformed");
        // A tenant that does not exist, or has no endpoint set up.
        post(UUID.randomUUID().toString(), body, StripeSignature.header(SECRET, now, bytes(body)))
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("webhook.endpoint_not_found");
        TenantSession bare = TenantSession.fresh(http, bootstrap, database);
        post(bare.tenantId(), body, StripeSignature.header(SECRET, now, bytes(body))).expectStatus().isNotFound();
        post("not-a-uuid", body, StripeSignature.header(SECRET, now, bytes(body))).expectStatus().isBadRequest();
        String huge = "{\"id\": \"evt_h\", \"object\": \"event\", \"pad\": \"" + "x".repeat(70_000) + "\"}";
        post(session.tenantId(), huge, StripeSignature.header(SECRET, now, bytes(huge)))
                .expectStatus().isEqualTo(413);
        assertThat(session.count("SELECT count(*) AS n FROM webhook_event")).isZero();
    }

    @Test
    @DisplayName("signing secrets are validated, never shown, and set by staff with settings:write only")
    void secrets() {
        session.get("/api/v1/settings/payment-providers/stripe/webhook-secrets").expectBody()
                .jsonPath("$.webhookSecrets").isEqualTo(2);
        for (Object bad : List.of(List.of(), List.of("sk_live_123456789"), List.of(SECRET, SECRET),
                List.of(SECRET, OLD_SECRET, "whsec_third0123456789"))) {
            session.put("/api/v1/settings/payment-providers/stripe/webhook-secrets", Map.of("webhookSecrets", bad))
                    .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        session.post("/api/v1/customers/" + acme + "/users", Map.of("email", "jana@acme.example",
                "password", TenantSession.PASSWORD)).expectStatus().isCreated();
        String client = (String) login(http, session.tenant(), "jana@acme.example", TenantSession.PASSWORD)
                .get("accessToken");
        http.put().uri("/api/v1/settings/payment-providers/stripe/webhook-secrets")
                .headers(h -> h.setBearerAuth(client)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("webhookSecrets", List.of("whsec_mine0123456789"))).exchange()
                .expectStatus().isForbidden();
        // Deliveries belong to the tenant, not to a customer: a client user sees none of them.
        session.get("/api/v1/webhook-events", client).expectBody().jsonPath("$.items.length()").isEqualTo(0);
        String stored = database.sql("SET LOCAL hostrail.tenant_id = '" + session.tenantId() + "';\n"
                        + "SELECT array_to_string(webhook_secrets_sealed, ',') AS s FROM payment_provider_account")
                .map(row -> row.get("s", String.class)).one()
                .block(Duration.ofSeconds(10));
        assertThat(stored).doesNotContain(SECRET).doesNotContain("whsec_");
        // Rotation done: the old secret no longer verifies.
        session.put("/api/v1/settings/payment-providers/stripe/webhook-secrets",
                Map.of("webhookSecrets", List.of(SECRET))).expectStatus().isNoContent();
        String body = event("evt_o", "customer.created", "{\"id\": \"cus_2\", \"object\": \"customer\"}");
        deliver(body, OLD_SECRET).expectStatus().isBadRequest();
        deliver(body, SECRET).expectStatus().isOk();
    }

    private void refused(String body, String signature) {
        post(session.tenantId(), body, signature).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("webhook.signature_invalid");
    }

    private WebTestClient.ResponseSpec deliver(String body, String secret) {
        return post(session.tenantId(), body, StripeSignature.header(secret, Instant.now().getEpochSecond(),
                bytes(body)));
    }

    private WebTestClient.ResponseSpec post(String tenant, String body, String signature) {
        return http.post().uri("/api/v1/webhooks/stripe/" + tenant)
                .headers(h -> {
                    if (signature != null) {
                        h.set("Stripe-Signature", signature);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(bytes(body)).exchange();
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** An event envelope as Stripe sends it, around {@code object}. */
    private static String event(String id, String type, String object) {
        return """
                {"id": "%s", "object": "event", "api_version": "2024-06-20", "created": %d,
                 "data": {"object": %s}, "livemode": false, "pending_webhooks": 1,
                 "request": {"id": null, "idempotency_key": null}, "type": "%s"}"""
                .formatted(id, Instant.now().getEpochSecond(), object, type);
    }

    /** A PaymentIntent (shape of stripe-fixtures3.json) for Hostrail's invoice, {@code received} taken. */
    private static String intent(String id, long received, String invoice) {
        return """
                {"id": "%s", "object": "payment_intent", "amount": %d, "amount_capturable": 0,
                 "amount_received": %d, "capture_method": "automatic", "currency": "eur", "customer": null,
                 "livemode": false, "metadata": {"invoice_id": "%s"}, "payment_method_types": ["card"],
                 "status": "%s"}""".formatted(id, Math.max(received, 1000), received, invoice,
                received > 0 ? "succeeded" : "processing");
    }
}
