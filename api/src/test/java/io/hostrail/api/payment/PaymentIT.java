package io.hostrail.api.payment;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Payments recorded by staff through the API: what they pay, what becomes credit, refunds, and what is refused. */
@HostrailIntegrationTest
class PaymentIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private TenantSession session;
    private String product;

    @BeforeEach
    void freshTenant() {
        session = TenantSession.fresh(http, bootstrap, database);
        product = session.monthlyProduct("Starter", "10.00");
    }

    @Test
    @DisplayName("a bank transfer pays the invoice, the rest becomes credit, the ledger balances, the subscription starts")
    void bankTransfer() {
        String acme = session.customer("EUR", null);
        Map<?, ?> ordered = session.created("/api/v1/subscriptions", Map.of("customerId", acme, "productId", product,
                "cycle", "monthly"));
        String invoice = (String) ordered.get("invoiceId");
        String subscription = (String) ((Map<?, ?>) ordered.get("subscription")).get("id");

        Map<String, Object> payment = session.created("/api/v1/invoices/" + invoice + "/payments", Map.of(
                "amount", "12.00", "method", "bank_transfer", "reference", "SEPA 2026-12-0042"));
        assertThat(payment).containsEntry("provider", "manual").containsEntry("method", "bank_transfer")
                .containsEntry("amount", "12.00").containsEntry("applied", "10.00").containsEntry("toCredit", "2.00")
                .containsEntry("status", "succeeded").containsEntry("reference", "SEPA 2026-12-0042")
                .containsEntry("invoiceId", invoice).containsEntry("customerId", acme);
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("paid")
                .jsonPath("$.amountDue").isEqualTo("0.00");
        session.get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("2.00")
                .jsonPath("$.due").isEqualTo("0.00");
        session.get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'cash')].debits").isEqualTo(List.of("12.00"));
        session.get("/api/v1/ledger/receivables-aging").expectBody()
                .jsonPath("$.currencies.length()").isEqualTo(0);
        // invoice.paid reaches the consumer that starts the subscription, as any payment's would.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> session.get("/api/v1/subscriptions/"
                + subscription).expectBody().jsonPath("$.status").isEqualTo("active"));
        assertThat(session.events((String) payment.get("id"))).containsExactly("payment.received");
        session.get("/api/v1/audit?targetId=" + payment.get("id")).expectBody()
                .jsonPath("$.items[0].action").isEqualTo("payment.received")
                .jsonPath("$.items[0].after.applied").isEqualTo("10.00 EUR");
        session.get("/api/v1/payments?invoiceId=" + invoice).expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(payment.get("id"));
    }

    @Test
    @DisplayName("payments in parts pay the invoice with the last one; a paid invoice takes no more")
    void partsAndPaid() {
        String acme = session.customer("EUR", null);
        String invoice = invoice(acme);
        session.created("/api/v1/invoices/" + invoice + "/payments", Map.of("amount", "4.00", "method", "cash"));
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("open")
                .jsonPath("$.amountDue").isEqualTo("6.00");
        // The receivable the ledger holds agrees: the payment settled its part of the invoice.
        session.get("/api/v1/ledger/receivables-aging").expectBody()
                .jsonPath("$.currencies[0].total").isEqualTo("6.00");
        session.created("/api/v1/invoices/" + invoice + "/payments", Map.of("amount", "6", "method", "cheque",
                "receivedAt", Instant.now().minus(Duration.ofDays(2)).toString(), "note", "Cheque 000123"));
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("paid");
        session.post("/api/v1/invoices/" + invoice + "/payments", Map.of("amount", "1.00", "method", "cash"))
                .expectStatus().isEqualTo(409).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("invoice.state_conflict");
        assertThat(session.count("SELECT count(*) AS n FROM payment")).isEqualTo(2);
    }

    @Test
    @DisplayName("bad amounts, methods and dates, unknown or foreign invoices and client users are refused; nothing moves")
    void refusals() {
        String acme = session.customer("EUR", null);
        String invoice = invoice(acme);
        String path = "/api/v1/invoices/" + invoice + "/payments";
        refused(path, Map.of("amount", "abc", "method", "cash"), "amount");
        refused(path, Map.of("amount", "-5.00", "method", "cash"), "amount");
        refused(path, Map.of("amount", "0", "method", "cash"), "amount");
        refused(path, Map.of("amount", "1.001", "method", "cash"), "amount");
        refused(path, Map.of("amount", "5.00", "method", "card"), "method");
        refused(path, Map.of("amount", "5.00"), "method");
        refused(path, Map.of("method", "cash"), "amount");
        refused(path, Map.of("amount", "5.00", "method", "cash",
                "receivedAt", Instant.now().plus(Duration.ofDays(1)).toString()), "receivedAt");
        refused(path, Map.of("amount", "5.00", "method", "cash", "reference", "x".repeat(201)), "reference");
        session.post(path, Map.of("amount", 5, "method", List.of("cash"))).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri(path).headers(h -> h.setBearerAuth(session.ownerToken()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"amount\": \"5.00\", ").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        session.post("/api/v1/invoices/0190f3a2-0000-7000-8000-000000000001/payments",
                Map.of("amount", "5.00", "method", "cash")).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("invoice.not_found");

        String otherTenant = newTenant(bootstrap, TenantSession.PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", TenantSession.PASSWORD);
        session.post(http, path, Map.of("amount", "5.00", "method", "cash"), otherToken).expectStatus().isNotFound();
        session.post("/api/v1/customers/" + acme + "/users", Map.of("email", "jana@acme.example",
                "password", TenantSession.PASSWORD)).expectStatus().isCreated();
        String client = (String) login(http, session.tenant(), "jana@acme.example", TenantSession.PASSWORD)
                .get("accessToken");
        session.post(http, path, Map.of("amount", "5.00", "method", "cash"), client).expectStatus().isForbidden();

        assertThat(session.count("SELECT count(*) AS n FROM payment")).isZero();
        assertThat(session.count("SELECT count(*) AS n FROM ledger_entry WHERE account = 'cash'")).isZero();
        session.get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.amountDue").isEqualTo("10.00");
    }

    @Test
    @DisplayName("a refund credits the paid invoice first and is paid out of the credit; never more than is left")
    void refunds() {
        String acme = session.customer("EUR", null);
        String invoice = invoice(acme);
        String payment = (String) session.created("/api/v1/invoices/" + invoice + "/payments",
                Map.of("amount", "10.00", "method", "bank_transfer")).get("id");
        Map<String, Object> refunded = session.created("/api/v1/payments/" + payment + "/refunds",
                Map.of("amount", "4.00", "reason", "Downtime in December"));
        Map<?, ?> after = (Map<?, ?>) refunded.get("payment");
        Map<?, ?> refund = (Map<?, ?>) refunded.get("refund");
        assertThat(after.get("refunded")).isEqualTo("4.00");
        assertThat(after.get("status")).isEqualTo("partially_refunded");
        session.get("/api/v1/credit-notes/" + refund.get("creditNoteId")).expectBody()
                .jsonPath("$.total").isEqualTo("4.00").jsonPath("$.toCredit").isEqualTo("4.00")
                .jsonPath("$.invoiceId").isEqualTo(invoice);
        // The credit note's credit went straight back out as the refund.
        session.get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("0.00");
        session.get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'cash')].credits").isEqualTo(List.of("4.00"));

        refused("/api/v1/payments/" + payment + "/refunds", Map.of("amount", "6.01", "reason", "Too much"), "amount");
        refused("/api/v1/payments/" + payment + "/refunds", Map.of("amount", "1.00"), "reason");
        session.post("/api/v1/payments/0190f3a2-0000-7000-8000-000000000001/refunds",
                Map.of("amount", "1.00", "reason", "x")).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("payment.not_found");

        // The rest of the invoice given back by a credit note, and that credit spent elsewhere: nothing to refund from.
        session.created("/api/v1/invoices/" + invoice + "/credit-notes", Map.of("reason", "Goodwill",
                "lines", List.of(Map.of("description", "Goodwill", "amount", "6.00"))));
        // Issued after, the next invoice takes that credit at once (applyCreditAutomatically).
        String other = invoice(acme);
        session.get("/api/v1/invoices/" + other).expectBody().jsonPath("$.amountDue").isEqualTo("4.00");
        session.post("/api/v1/payments/" + payment + "/refunds", Map.of("amount", "6.00", "reason", "Rest"))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("payment.credit_short");
        session.get("/api/v1/payments/" + payment + "/refunds").expectBody().jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].amount").isEqualTo("4.00");
        assertThat(session.events(payment)).containsExactly("payment.received", "payment.refunded");
    }

    @Test
    @DisplayName("a client user sees its own customer's payments only")
    void clientVisibility() {
        String acme = session.customer("EUR", null);
        String beta = session.customer("EUR", null);
        String mine = (String) session.created("/api/v1/invoices/" + invoice(acme) + "/payments",
                Map.of("amount", "10.00", "method", "cash")).get("id");
        String theirs = (String) session.created("/api/v1/invoices/" + invoice(beta) + "/payments",
                Map.of("amount", "10.00", "method", "cash")).get("id");
        session.post("/api/v1/customers/" + acme + "/users", Map.of("email", "jana@acme.example",
                "password", TenantSession.PASSWORD)).expectStatus().isCreated();
        String client = (String) login(http, session.tenant(), "jana@acme.example", TenantSession.PASSWORD)
                .get("accessToken");
        session.get("/api/v1/payments", client).expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(mine);
        session.get("/api/v1/payments?customerId=" + beta, client).expectBody().jsonPath("$.items.length()")
                .isEqualTo(0);
        session.get("/api/v1/payments/" + theirs, client).expectStatus().isNotFound();
        session.post(http, "/api/v1/payments/" + mine + "/refunds", Map.of("amount", "1.00", "reason", "x"), client)
                .expectStatus().isForbidden();
    }

    /** An open invoice of 10.00 for the customer: a subscription's first. */
    private String invoice(String customer) {
        return (String) session.created("/api/v1/subscriptions", Map.of("customerId", customer, "productId", product,
                "cycle", "monthly")).get("invoiceId");
    }

    private void refused(String path, Map<String, Object> body, String field) {
        session.post(path, new HashMap<>(body)).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(((List<?>) problem.get("errors")).stream()
                        .map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList())
                        .as("for %s", body).contains(field));
    }
}
