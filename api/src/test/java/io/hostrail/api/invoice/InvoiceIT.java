package io.hostrail.api.invoice;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.SecondInstance;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** Invoices through the API: drafts, finalizing with gapless numbers, the ledger, credit, voiding and writing off. */
@HostrailIntegrationTest
class InvoiceIT {

    private static final String PASSWORD = TenantSession.PASSWORD;

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired java.time.Clock clock;

    private TenantSession session;
    private String tenant;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        session = TenantSession.fresh(http, bootstrap, database);
        tenant = session.tenant();
        ownerToken = session.ownerToken();
    }

    @Test
    @DisplayName("a draft is priced with the customer's taxes, finalized with a number, entered in the ledger and frozen")
    void draftToFinalized() {
        taxRule("Umsatzsteuer", "DE", "19");
        String acme = customer("EUR", "DE", null, null);
        Map<String, Object> draft = post("/api/v1/invoices", Map.of("customerId", acme, "memo", "Thanks", "lines", List.of(
                line("Web hosting Pro, December", 1, "19.90", null),
                line("Extra IPv4 addresses", 3, "2.00", "1.00"))))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(draft).doesNotContainKey("number").containsEntry("status", "draft").containsEntry("currency", "EUR")
                .containsEntry("subtotal", "24.90").containsEntry("discountTotal", "1.00")
                .containsEntry("taxTotal", "4.73").containsEntry("total", "29.63").containsEntry("amountDue", "29.63");
        String id = (String) draft.get("id");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.currencies.length()").isEqualTo(0);

        // Still a draft: lines change freely.
        put("/api/v1/invoices/" + id, Map.of("lines", List.of(line("Web hosting Pro, December", 2, "19.90", null)),
                "version", 0)).expectStatus().isOk().expectBody()
                .jsonPath("$.lines.length()").isEqualTo(1).jsonPath("$.total").isEqualTo("47.36")
                .jsonPath("$.taxes[0].name").isEqualTo("Umsatzsteuer").jsonPath("$.taxes[0].amount").isEqualTo("7.56");

        String year = Integer.toString(Year.now(clock.withZone(ZoneOffset.UTC)).getValue());
        post("/api/v1/invoices/" + id + "/finalize", null).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("open").jsonPath("$.number").isEqualTo("INV-" + year + "-000001")
                .jsonPath("$.issuedAt").exists().jsonPath("$.dueAt").exists().jsonPath("$.amountDue").isEqualTo("47.36");

        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.due").isEqualTo("47.36");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'revenue')].credits").isEqualTo("39.80")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'tax_payable')].credits").isEqualTo("7.56")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'accounts_receivable')].debits").isEqualTo("47.36");
        assertThat(outbox("invoice.finalized", id)).isEqualTo(1);

        // Finalized: nothing about it changes any more, through the API or behind its back.
        put("/api/v1/invoices/" + id, Map.of("lines", List.of(line("Cheaper", 1, "1.00", null)), "version", 1))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("invoice.state_conflict");
        http.delete().uri("/api/v1/invoices/" + id).headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isEqualTo(409);
        post("/api/v1/invoices/" + id + "/finalize", null).expectStatus().isEqualTo(409);
        String tenantId = tenantId();
        assertThatThrownBy(() -> sql("UPDATE invoice SET total_minor = 1, subtotal_minor = 1, tax_minor = 0 WHERE id = '"
                + id + "'", tenantId)).hasMessageContaining("is finalized");
        assertThatThrownBy(() -> sql("UPDATE invoice_line SET quantity = 1 WHERE invoice_id = '" + id + "'", tenantId))
                .hasMessageContaining("cannot change");
        assertThatThrownBy(() -> sql("DELETE FROM invoice WHERE id = '" + id + "'", tenantId))
                .hasMessageContaining("cannot be deleted");
        get("/api/v1/invoices/" + id).expectBody().jsonPath("$.total").isEqualTo("47.36")
                .jsonPath("$.lines[0].quantity").isEqualTo(2).jsonPath("$.version").isEqualTo(2);
    }

    @Test
    @DisplayName("numbers are gapless and never repeat while two instances finalize at once")
    void gaplessAcrossTwoInstances() {
        String acme = customer("EUR", null, null, null);
        int count = 24;
        List<String> ids = IntStream.range(0, count).mapToObj(i -> (String) post("/api/v1/invoices", Map.of("customerId",
                acme, "lines", List.of(line("Item " + i, 1, "5.00", null)))).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id")).toList();
        WebTestClient other = SecondInstance.http();
        List<String> numbers = Flux.range(0, count).parallel(8).runOn(Schedulers.boundedElastic())
                .map(i -> (i % 2 == 0 ? http : other).post().uri("/api/v1/invoices/{id}/finalize", ids.get(i))
                        .headers(h -> h.setBearerAuth(ownerToken)).exchange().expectStatus().isOk()
                        .expectBody(Map.class).returnResult().getResponseBody().get("number").toString())
                .sequential().collectList().block(Duration.ofSeconds(120));
        String year = Integer.toString(Year.now(clock.withZone(ZoneOffset.UTC)).getValue());
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, count)
                .mapToObj(n -> "INV-" + year + "-%06d".formatted(n)).toList());
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'accounts_receivable')].debits").isEqualTo("120.00");
    }

    @Test
    @DisplayName("credit is applied on finalizing when the settings say so, and an invoice with nothing due is paid")
    void creditPaysInvoices() {
        String acme = customer("EUR", null, null, null);
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "30.00", "reason", "Migration bonus"))
                .expectStatus().isCreated();
        String first = draft(acme, "20.00");
        post("/api/v1/invoices/" + first + "/finalize", null).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("paid").jsonPath("$.creditApplied").isEqualTo("20.00")
                .jsonPath("$.amountDue").isEqualTo("0.00").jsonPath("$.paidAt").exists();
        String second = draft(acme, "25.00");
        post("/api/v1/invoices/" + second + "/finalize", null).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("open").jsonPath("$.creditApplied").isEqualTo("10.00")
                .jsonPath("$.amountDue").isEqualTo("15.00");
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("0.00")
                .jsonPath("$.due").isEqualTo("15.00");
        assertThat(outbox("invoice.paid", first)).isEqualTo(1);
        assertThat(outbox("invoice.credit_applied", second)).isEqualTo(1);

        // With no credit left, asking to apply some is refused and changes nothing.
        post("/api/v1/invoices/" + second + "/apply-credit", Map.of()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("invoice.no_credit");
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "5.00", "reason", "Goodwill"))
                .expectStatus().isCreated();
        post("/api/v1/invoices/" + second + "/apply-credit", Map.of("amount", "6.00")).expectStatus().isEqualTo(409);
        post("/api/v1/invoices/" + second + "/apply-credit", Map.of("amount", "-1")).expectStatus().isBadRequest();
        post("/api/v1/invoices/" + second + "/apply-credit", Map.of("amount", "4.00")).expectStatus().isOk()
                .expectBody().jsonPath("$.amountDue").isEqualTo("11.00").jsonPath("$.creditApplied").isEqualTo("14.00");

        // Turned off, finalizing leaves the credit alone.
        put("/api/v1/settings/billing", Map.of("applyCreditAutomatically", false, "version", 0)).expectStatus().isOk();
        String third = draft(acme, "3.00");
        post("/api/v1/invoices/" + third + "/finalize", null).expectBody().jsonPath("$.creditApplied").isEqualTo("0.00");
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("1.00")
                .jsonPath("$.due").isEqualTo("14.00");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true);
    }

    @Test
    @DisplayName("voiding reverses the invoice and returns its credit; writing off moves what is due to bad debt")
    void voidAndWriteOff() {
        String acme = customer("EUR", null, null, null);
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "4.00", "reason", "x")).expectStatus().isCreated();
        String voided = draft(acme, "10.00");
        post("/api/v1/invoices/" + voided + "/finalize", null).expectBody().jsonPath("$.amountDue").isEqualTo("6.00");
        post("/api/v1/invoices/" + voided + "/void", null).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("void").jsonPath("$.closedAt").exists();
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("4.00")
                .jsonPath("$.due").isEqualTo("0.00");
        post("/api/v1/invoices/" + voided + "/void", null).expectStatus().isEqualTo(409);
        post("/api/v1/invoices/" + voided + "/apply-credit", Map.of()).expectStatus().isEqualTo(409);

        put("/api/v1/settings/billing", Map.of("applyCreditAutomatically", false, "version", 0)).expectStatus().isOk();
        String lost = draft(acme, "8.00");
        post("/api/v1/invoices/" + lost + "/finalize", null).expectStatus().isOk();
        post("/api/v1/invoices/" + lost + "/mark-uncollectible", null).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("uncollectible").jsonPath("$.amountDue").isEqualTo("8.00");
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.due").isEqualTo("0.00");
        // Credit spent on a written-off invoice recovers bad debt.
        post("/api/v1/invoices/" + lost + "/apply-credit", Map.of()).expectStatus().isOk().expectBody()
                .jsonPath("$.amountDue").isEqualTo("4.00").jsonPath("$.status").isEqualTo("uncollectible");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'bad_debt')].debits").isEqualTo("8.00")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'bad_debt')].credits").isEqualTo("4.00");
        assertThat(outbox("invoice.voided", voided)).isEqualTo(1);
        assertThat(outbox("invoice.marked_uncollectible", lost)).isEqualTo(1);
    }

    @Test
    @DisplayName("reverse-charge and tax-exempt customers pay no tax and their invoices say why")
    void untaxedCustomers() {
        taxRule("TVA", "FR", "20");
        taxRule("Umsatzsteuer", "DE", "19");
        put("/api/v1/settings/billing", Map.of("sellerCountry", "DE", "version", 0)).expectStatus().isOk();
        String business = customer("EUR", "FR", "FR40303265045", null);
        String charity = customer("EUR", "DE", null, "Registered charity 12-345");
        String consumer = customer("EUR", "FR", null, null);
        get("/api/v1/invoices/" + draft(business, "100.00")).expectBody().jsonPath("$.taxTotal").isEqualTo("0.00")
                .jsonPath("$.taxNote").value(note -> assertThat((String) note).contains("Reverse charge"));
        get("/api/v1/invoices/" + draft(charity, "100.00")).expectBody().jsonPath("$.taxTotal").isEqualTo("0.00")
                .jsonPath("$.taxNote").isEqualTo("Tax exempt: Registered charity 12-345");
        get("/api/v1/invoices/" + draft(consumer, "100.00")).expectBody().jsonPath("$.taxTotal").isEqualTo("20.00")
                .jsonPath("$.taxes[0].name").isEqualTo("TVA").jsonPath("$.taxNote").doesNotExist();
        // No address while the tenant taxes somewhere: where to tax is unknown, so it is refused.
        String nowhere = customer("EUR", null, null, null);
        post("/api/v1/invoices", Map.of("customerId", nowhere, "lines", List.of(line("x", 1, "1.00", null))))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("tax.place_unknown");
    }

    @Test
    @DisplayName("the receivables aging is derived from the ledger: credit, credit notes and write-offs take their part")
    void receivablesAging() {
        put("/api/v1/settings/billing", Map.of("applyCreditAutomatically", false, "version", 0)).expectStatus().isOk();
        String acme = customer("EUR", null, null, null);
        String beta = customer("EUR", null, null, null);
        String today = java.time.LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
        String soon = java.time.LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(20) + "T00:00:00Z";
        String dueNow = draft(acme, "100.00");
        post("/api/v1/invoices/" + dueNow + "/finalize", null).expectStatus().isOk();
        String dueLater = (String) post("/api/v1/invoices", Map.of("customerId", acme, "dueAt", soon, "lines",
                List.of(line("Later", 1, "40.00", null)))).expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody().get("id");
        post("/api/v1/invoices/" + dueLater + "/finalize", null).expectStatus().isOk();
        String betas = draft(beta, "30.00");
        post("/api/v1/invoices/" + betas + "/finalize", null).expectStatus().isOk();
        // Beta pays 10.00 with credit, gets a 5.00 credit note; Acme's later one is written off in part by nothing.
        post("/api/v1/customers/" + beta + "/credits", Map.of("amount", "10.00", "reason", "x")).expectStatus().isCreated();
        post("/api/v1/invoices/" + betas + "/apply-credit", Map.of("amount", "10.00")).expectStatus().isOk();
        post("/api/v1/invoices/" + betas + "/credit-notes", Map.of("reason", "Outage", "lines",
                List.of(Map.of("description", "Outage", "amount", "5.00")))).expectStatus().isCreated();

        get("/api/v1/ledger/receivables-aging?asOf=" + today).expectStatus().isOk().expectBody()
                .jsonPath("$.currencies[0].currency").isEqualTo("EUR")
                .jsonPath("$.currencies[0].total").isEqualTo("155.00")
                .jsonPath("$.currencies[0].buckets.current").isEqualTo("155.00")
                .jsonPath("$.currencies[0].customers[0].customerId").isEqualTo(acme)
                .jsonPath("$.currencies[0].customers[0].invoices").isEqualTo(2)
                .jsonPath("$.currencies[0].customers[1].total").isEqualTo("15.00");
        String inFortyDays = java.time.LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(40).toString();
        get("/api/v1/ledger/receivables-aging?asOf=" + inFortyDays).expectBody()
                .jsonPath("$.currencies[0].buckets.days31To60").isEqualTo("115.00")
                .jsonPath("$.currencies[0].buckets.days1To30").isEqualTo("40.00")
                .jsonPath("$.currencies[0].buckets.current").isEqualTo("0.00");
        post("/api/v1/invoices/" + dueNow + "/mark-uncollectible", null).expectStatus().isOk();
        get("/api/v1/ledger/receivables-aging?asOf=" + inFortyDays).expectBody()
                .jsonPath("$.currencies[0].total").isEqualTo("55.00")
                .jsonPath("$.currencies[0].buckets.over90").isEqualTo("0.00");
        get("/api/v1/ledger/receivables-aging?asOf=not-a-date").expectStatus().isBadRequest();
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.due").isEqualTo("40.00");
    }

    @Test
    @DisplayName("bad drafts are refused field by field and nothing is stored")
    void badInput() {
        String acme = customer("EUR", null, null, null);
        refused(Map.of("customerId", acme, "lines", List.of(line("x", -1, "1.00", null))), "lines[0].quantity");
        refused(Map.of("customerId", acme, "lines", List.of(line("x", 1, "-1.00", null))), "lines[0]");
        refused(Map.of("customerId", acme, "lines", List.of(line("x", 1, "1.001", null))), "lines[0].unitPrice");
        refused(Map.of("customerId", acme, "lines", List.of(line("x", 1, "abc", null))), "lines[0].unitPrice");
        refused(Map.of("customerId", acme, "lines", List.of(line("x", 1, "1.00", "2.00"))), "lines[0]");
        refused(Map.of("customerId", acme, "lines", List.of(line(" ", 1, "1.00", null))), "lines[0]");
        Map<String, Object> unknownProduct = new HashMap<>(line("x", 1, "1.00", null));
        unknownProduct.put("productId", UUID.randomUUID().toString());
        refused(Map.of("customerId", acme, "lines", List.of(unknownProduct)), "lines[0].productId");
        refused(Map.of("lines", List.of(line("x", 1, "1.00", null))), "customerId");
        post("/api/v1/invoices", Map.of("customerId", UUID.randomUUID().toString(), "lines", List.of()))
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("customer.not_found");
        post("/api/v1/invoices", Map.of("customerId", acme, "lines", "not a list")).expectStatus().isBadRequest();
        http.post().uri("/api/v1/invoices").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"customerId\": ").exchange().expectStatus().isBadRequest();
        get("/api/v1/invoices?status=bogus").expectStatus().isBadRequest();
        post("/api/v1/invoices/" + UUID.randomUUID() + "/finalize", null).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("invoice.not_found");
        get("/api/v1/invoices").expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    @DisplayName("client users see their own customer's finalized invoices only; other tenants see nothing")
    void visibility() {
        String acme = customer("EUR", null, null, null);
        String beta = customer("EUR", null, null, null);
        String issued = draft(acme, "9.00");
        post("/api/v1/invoices/" + issued + "/finalize", null).expectStatus().isOk();
        String hidden = draft(acme, "1.00");
        String betas = draft(beta, "2.00");
        post("/api/v1/invoices/" + betas + "/finalize", null).expectStatus().isOk();
        post("/api/v1/customers/" + acme + "/users", Map.of("email", "jana@acme.example", "password", PASSWORD))
                .expectStatus().isCreated();
        String client = (String) login(http, tenant, "jana@acme.example", PASSWORD).get("accessToken");
        get("/api/v1/invoices", client).expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(issued);
        get("/api/v1/invoices/" + issued, client).expectStatus().isOk();
        get("/api/v1/invoices/" + hidden, client).expectStatus().isNotFound();
        get("/api/v1/invoices/" + betas, client).expectStatus().isNotFound();
        get("/api/v1/invoices?customerId=" + beta, client).expectBody().jsonPath("$.items.length()").isEqualTo(0);
        http.post().uri("/api/v1/invoices/{id}/void", issued).headers(h -> h.setBearerAuth(client)).exchange()
                .expectStatus().isForbidden();

        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        get("/api/v1/invoices/" + issued, otherToken).expectStatus().isNotFound();
        get("/api/v1/invoices", otherToken).expectBody().jsonPath("$.items.length()").isEqualTo(0);
        http.post().uri("/api/v1/invoices/{id}/void", issued).headers(h -> h.setBearerAuth(otherToken)).exchange()
                .expectStatus().isNotFound();
        get("/api/v1/invoices/" + issued).expectBody().jsonPath("$.status").isEqualTo("open");

        // Paging: oldest first, with a cursor.
        get("/api/v1/invoices?limit=2").expectBody().jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.nextCursor").isEqualTo(hidden);
        get("/api/v1/invoices?limit=2&after=" + hidden).expectBody().jsonPath("$.items.length()").isEqualTo(1);
        get("/api/v1/invoices?status=draft").expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    private void refused(Map<String, Object> body, String field) {
        post("/api/v1/invoices", body).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(((List<?>) problem.get("errors")).stream()
                        .map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList())
                        .as("for %s", body).contains(field));
    }

    private String draft(String customer, String amount) {
        return (String) post("/api/v1/invoices", Map.of("customerId", customer, "lines",
                List.of(line("Service", 1, amount, null)))).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private static Map<String, Object> line(String description, long quantity, String unitPrice, String discount) {
        Map<String, Object> line = new HashMap<>();
        line.put("description", description);
        line.put("quantity", quantity);
        line.put("unitPrice", unitPrice);
        if (discount != null) {
            line.put("discount", discount);
        }
        return line;
    }

    private void taxRule(String name, String country, String percent) {
        post("/api/v1/tax-rules", Map.of("name", name, "country", country, "percent", percent)).expectStatus().isCreated();
    }

    private String customer(String currency, String country, String taxId, String exemption) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Customer " + UUID.randomUUID());
        body.put("email", "accounts@" + UUID.randomUUID() + ".example");
        body.put("currency", currency);
        if (country != null) {
            body.put("billingAddress", Map.of("line1", "Street 1", "city", "City", "postalCode", "12345", "country", country));
        }
        if (taxId != null) {
            body.put("taxId", taxId);
        }
        if (exemption != null) {
            body.put("taxExemption", exemption);
        }
        return (String) post("/api/v1/customers", body).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private long outbox(String type, String aggregate) {
        return database.sql("SELECT count(*) AS n FROM outbox WHERE event_type = :type AND aggregate_id = :id")
                .bind("type", type).bind("id", UUID.fromString(aggregate))
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
    }

    private String tenantId() {
        return session.tenantId();
    }

    private void sql(String statement, String tenantId) {
        session.sql(statement);
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return session.post(uri, body);
    }

    private WebTestClient.ResponseSpec put(String uri, Object body) {
        return session.put(uri, body);
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return session.get(uri);
    }

    private WebTestClient.ResponseSpec get(String uri, String token) {
        return session.get(uri, token);
    }
}
