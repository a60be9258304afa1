package io.hostrail.api.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.FakeProviders;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.webclient.paypal.FakePayPalServer;
import io.hostrail.webclient.support.FakeReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * PayPal webhooks through the API: verified by PayPal's verify-webhook-signature API with the tenant's app and webhook
 * id, stored once and processed to their effect once; forged, unverifiable and misaddressed deliveries store nothing.
 */
@HostrailIntegrationTest
class PayPalWebhookIT {

    static final String WEBHOOK_ID = "1JE4291016473214C";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private final FakePayPalServer payPal = FakeProviders.payPal();
    private TenantSession session;
    private String product;
    private String acme;

    @BeforeEach
    void payPalConnected() {
        session = TenantSession.fresh(http, bootstrap, database);
        session.put("/api/v1/settings/payment-providers/paypal", Map.of("clientId", FakePayPalServer.CLIENT_ID,
                "clientSecret", FakePayPalServer.CLIENT_SECRET, "webhookId", WEBHOOK_ID, "environment", "sandbox"))
                .expectStatus().isOk();
        product = session.monthlyProduct("Starter", "10.00");
        acme = session.customer("EUR", null);
    }

    @AfterEach
    void forgetScriptedReplies() {
        FakeProviders.forgetScripts();
    }

    @Test
    @DisplayName("a verified capture pays the invoice once, by paypal; pending after it, a refund and a dispute each have their one effect")
    void captureRefundDispute() {
        String invoice = invoice();
        String completed = event("WH-COMPLETED-1", "PAYMENT.CAPTURE.COMPLETED", capture("3C679366HH908993F",
                "COMPLETED", "10.00", invoice));
        Map<?, ?> first = deliver(session.tenantId(), completed, FakePayPalServer.GENUINE_SIGNATURE).expectStatus()
                .isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(first.get("duplicate")).isEqualTo(false);
        deliver(session.tenantId(), completed, FakePayPalServer.GENUINE_SIGNATURE).expectStatus().isOk()
                .expectBody().jsonPath("$.duplicate").isEqualTo(true).jsonPath("$.eventId").isEqualTo("WH-COMPLETED-1");
        var verify = payPal.requests("POST", "/v1/notifications/verify-webhook-signature").getLast();
        var asked = JsonMapper.shared().readTree(verify.body());
        assertThat(asked.path("webhook_id").asString()).isEqualTo(WEBHOOK_ID);
        assertThat(asked.path("transmission_id").asString()).isEqualTo("trans-WH-COMPLETED-1");
        assertThat(asked.path("webhook_event").path("id").asString()).isEqualTo("WH-COMPLETED-1");

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session.get("/api/v1/invoices/"
                + invoice).expectBody().jsonPath("$.status").isEqualTo("paid"));
        String payment = session.text("SELECT id::text FROM payment WHERE reference = '3C679366HH908993F'");
        session.get("/api/v1/payments/" + payment).expectBody().jsonPath("$.provider").isEqualTo("paypal")
                .jsonPath("$.method").isEqualTo("paypal").jsonPath("$.amount").isEqualTo("10.00");

        deliver(session.tenantId(), event("WH-PENDING-1", "PAYMENT.CAPTURE.PENDING", capture("3C679366HH908993F",
                "PENDING", "10.00", invoice)), FakePayPalServer.GENUINE_SIGNATURE).expectStatus().isOk();
        deliver(session.tenantId(), event("WH-REFUNDED-1", "PAYMENT.CAPTURE.REFUNDED", """
                {"id": "1JU08902781691411", "status": "COMPLETED", "amount": {"currency_code": "EUR", "value": "4.00"},
                 "note_to_payer": "Downtime", "create_time": "2026-11-20T10:00:00Z",
                 "links": [{"href": "https://api.sandbox.paypal.com/v2/payments/refunds/1JU08902781691411",
                            "rel": "self", "method": "GET"},
                           {"href": "https://api.sandbox.paypal.com/v2/payments/captures/3C679366HH908993F",
                            "rel": "up", "method": "GET"}]}"""), FakePayPalServer.GENUINE_SIGNATURE)
                .expectStatus().isOk();
        deliver(session.tenantId(), event("WH-DISPUTE-1", "CUSTOMER.DISPUTE.CREATED", """
                {"dispute_id": "PP-D-27803", "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "status": "OPEN",
                 "dispute_amount": {"currency_code": "EUR", "value": "6.00"},
                 "disputed_transactions": [{"seller_transaction_id": "3C679366HH908993F"}]}"""),
                FakePayPalServer.GENUINE_SIGNATURE).expectStatus().isOk();
        deliver(session.tenantId(), event("WH-OTHER-1", "CHECKOUT.ORDER.APPROVED", "{\"id\": \"5O190127TN364715T\"}"),
                FakePayPalServer.GENUINE_SIGNATURE).expectStatus().isOk();

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(session.count(
                "SELECT count(*) AS n FROM webhook_event WHERE status = 'received'")).isZero());
        assertThat(session.count("SELECT count(*) AS n FROM webhook_event WHERE status = 'processed'")).isEqualTo(4);
        session.get("/api/v1/webhook-events?provider=paypal&status=unhandled").expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].eventType").isEqualTo("CHECKOUT.ORDER.APPROVED");
        session.get("/api/v1/payments/" + payment).expectBody().jsonPath("$.refunded").isEqualTo("4.00")
                .jsonPath("$.disputed").isEqualTo(true).jsonPath("$.status").isEqualTo("partially_refunded");
        session.get("/api/v1/payments/" + payment + "/refunds").expectBody().jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].reference").isEqualTo("1JU08902781691411")
                .jsonPath("$[0].reason").isEqualTo("Refunded at PayPal: Downtime");
        // Deliveries are processed concurrently: the refund and the dispute in either order, each once.
        assertThat(session.events(payment)).containsExactlyInAnyOrder("payment.received", "payment.refunded",
                "payment.disputed");
    }

    @Test
    @DisplayName("a denied capture is a payment failure for the invoice")
    void denied() {
        String invoice = invoice();
        deliver(session.tenantId(), event("WH-DENIED-1", "PAYMENT.CAPTURE.DENIED", capture("7TK53561YB803214S",
                "DECLINED", "10.00", invoice)), FakePayPalServer.GENUINE_SIGNATURE).expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(session.events(invoice))
                .contains("payment.failed"));
        assertThat(session.count("SELECT count(*) AS n FROM payment")).isZero();
    }

    @Test
    @DisplayName("forged, unsigned, misaddressed and unverifiable deliveries are refused and nothing is stored")
    void refused() {
        String body = event("WH-FORGED-1", "PAYMENT.CAPTURE.COMPLETED", capture("3C679366HH900000F", "COMPLETED",
                "10.00", invoice()));
        deliver(session.tenantId(), body, "forged-signature").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("webhook.signature_invalid");
        int asked = payPal.requests("POST", "/v1/notifications/verify-webhook-signature").size();
        http.post().uri("/api/v1/webhooks/paypal/" + session.tenantId()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(bytes(body)).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("webhook.signature_invalid");
        assertThat(payPal.requests("POST", "/v1/notifications/verify-webhook-signature")).hasSize(asked);
        // A tenant that does not exist, or has not connected PayPal.
        deliver(UUID.randomUUID().toString(), body, FakePayPalServer.GENUINE_SIGNATURE).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("webhook.endpoint_not_found");
        TenantSession bare = TenantSession.fresh(http, bootstrap, database);
        deliver(bare.tenantId(), body, FakePayPalServer.GENUINE_SIGNATURE).expectStatus().isNotFound();
        // Genuine, but not a PayPal event.
        deliver(session.tenantId(), "{\"hello\": \"world\"}", FakePayPalServer.GENUINE_SIGNATURE).expectStatus()
                .isBadRequest().expectBody().jsonPath("$.code").isEqualTo("webhook.malformed");
        // PayPal cannot be asked: 503, so PayPal delivers it again later.
        payPal.replies(FakeReply.json(503, ""), FakeReply.json(503, ""));
        deliver(session.tenantId(), body, FakePayPalServer.GENUINE_SIGNATURE).expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("webhook.signature_unverifiable");
        assertThat(session.count("SELECT count(*) AS n FROM webhook_event")).isZero();
        assertThat(bare.count("SELECT count(*) AS n FROM webhook_event")).isZero();
        // Delivered again once PayPal answers: stored.
        deliver(session.tenantId(), body, FakePayPalServer.GENUINE_SIGNATURE).expectStatus().isOk();
        assertThat(session.count("SELECT count(*) AS n FROM webhook_event")).isEqualTo(1);
    }

    private String invoice() {
        return (String) session.created("/api/v1/subscriptions", Map.of("customerId", acme, "productId", product,
                "cycle", "monthly")).get("invoiceId");
    }

    private WebTestClient.ResponseSpec deliver(String tenant, String body, String signature) {
        String transmission = "trans-" + JsonMapper.shared().readTree(body).path("id").asString();
        return http.post().uri("/api/v1/webhooks/paypal/" + tenant)
                .header("PAYPAL-TRANSMISSION-ID", transmission)
                .header("PAYPAL-TRANSMISSION-TIME", "2026-11-20T10:00:00Z")
                .header("PAYPAL-TRANSMISSION-SIG", signature)
                .header("PAYPAL-CERT-URL", "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42")
                .header("PAYPAL-AUTH-ALGO", "SHA256withRSA")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(bytes(body)).exchange();
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** A webhook event as PayPal sends it, around {@code resource}. */
    static String event(String id, String type, String resource) {
        return """
                {"id": "%s", "event_version": "1.0", "create_time": "2026-11-20T10:00:00.000Z",
                 "resource_type": "capture", "resource_version": "2.0", "event_type": "%s",
                 "summary": "%s", "resource": %s}""".formatted(id, type, type, resource);
    }

    /** A Capture (Payments v2) of Hostrail's invoice, as PayPalPaymentGateway's order names it. */
    static String capture(String id, String status, String value, String invoice) {
        return """
                {"id": "%s", "status": "%s", "amount": {"currency_code": "EUR", "value": "%s"},
                 "final_capture": true, "invoice_id": "%s", "custom_id": "%s",
                 "create_time": "2026-11-20T09:59:00Z", "update_time": "2026-11-20T09:59:00Z"}"""
                .formatted(id, status, value, invoice, UUID.randomUUID(), status);
    }
}
