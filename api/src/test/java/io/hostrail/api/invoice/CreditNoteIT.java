package io.hostrail.api.invoice;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.SecondInstance;
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

/**
 * Credit notes through the API: what they take off an invoice and give back as credit, their gapless numbers, the
 * limits, the ledger after every step, bad input that changes nothing, and who sees them.
 */
@HostrailIntegrationTest
class CreditNoteIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired java.time.Clock clock;

    private String tenant;
    private String ownerToken;
    private String year;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
        year = Integer.toString(Year.now(clock.withZone(ZoneOffset.UTC)).getValue());
    }

    @Test
    @DisplayName("a partial credit lowers what is due, a full one pays the invoice; numbers are gapless; limits hold")
    void partialThenFullCreditOnAnOpenInvoice() {
        taxRule("Umsatzsteuer", "DE", "19");
        String acme = customer("EUR", "DE");
        String invoice = finalized(acme, line("Web hosting Pro, December", 1, "19.90"), line("Extra IPv4 addresses", 3, "2.00"));
        Map<String, Object> issued = body(get("/api/v1/invoices/" + invoice));
        assertThat(issued).containsEntry("total", "30.82").containsEntry("amountDue", "30.82")
                .containsEntry("credited", "0.00");
        String hosting = lineId(issued, 0);
        String addresses = lineId(issued, 1);

        // Two of the three addresses were never assigned: 4.00 and their 19 % back.
        var created = issue(invoice, "Two IPv4 addresses were never assigned",
                creditLine("IPv4 addresses not assigned", "4.00", addresses)).expectStatus().isCreated();
        Map<String, Object> first = created.expectBody(Map.class).returnResult().getResponseBody();
        String firstId = (String) first.get("id");
        created.expectHeader().location("/api/v1/credit-notes/" + firstId);
        assertThat(first).containsEntry("number", "CN-" + year + "-000001").containsEntry("invoiceId", invoice)
                .containsEntry("invoiceNumber", "INV-" + year + "-000001").containsEntry("customerId", acme)
                .containsEntry("currency", "EUR").containsEntry("reason", "Two IPv4 addresses were never assigned")
                .containsEntry("subtotal", "4.00").containsEntry("taxTotal", "0.76").containsEntry("total", "4.76")
                .containsEntry("appliedToInvoice", "4.76").containsEntry("toCredit", "0.00");
        get("/api/v1/credit-notes/" + firstId).expectStatus().isOk().expectBody()
                .jsonPath("$.taxes[0].name").isEqualTo("Umsatzsteuer").jsonPath("$.taxes[0].amount").isEqualTo("0.76")
                .jsonPath("$.lines[0].invoiceLineId").isEqualTo(addresses)
                .jsonPath("$.lines[0].net").isEqualTo("4.00").jsonPath("$.lines[0].total").isEqualTo("4.76")
                .jsonPath("$.issuedAt").exists();
        get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("open")
                .jsonPath("$.credited").isEqualTo("4.76").jsonPath("$.amountDue").isEqualTo("26.06");
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.due").isEqualTo("26.06")
                .jsonPath("$.credit").isEqualTo("0.00");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'revenue')].debits").isEqualTo("4.00")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'tax_payable')].debits").isEqualTo("0.76")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'accounts_receivable')].credits").isEqualTo("4.76");
        assertThat(outbox("credit_note.issued", firstId)).isEqualTo(1);
        get("/api/v1/audit?action=credit_note.issued&targetId=" + firstId).expectBody()
                .jsonPath("$.items.length()").isEqualTo(1);

        // 2.01 and its tax is a cent more than is left of the addresses' line.
        issue(invoice, "More addresses", creditLine("One more address", "2.01", addresses)).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody()
                .jsonPath("$.code").isEqualTo("credit_note.exceeds_line")
                .jsonPath("$.errors[0].field").isEqualTo("lines[0].amount");
        // More than is left of the invoice.
        issue(invoice, "Everything and a bit", creditLine("Hosting", "19.90", hosting),
                creditLine("Goodwill", "6.16", null)).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody()
                .jsonPath("$.code").isEqualTo("credit_note.exceeds_invoice");
        get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.amountDue").isEqualTo("26.06");
        get("/api/v1/credit-notes?invoiceId=" + invoice).expectBody().jsonPath("$.items.length()").isEqualTo(1);
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'revenue')].debits").isEqualTo("4.00");

        // The rest, exactly: the invoice is paid, and the refusals took no number.
        String secondId = (String) body(issue(invoice, "Cancelled in the first week",
                creditLine("Web hosting Pro, December", "19.90", hosting),
                creditLine("The last IPv4 address", "2.00", addresses)).expectStatus().isCreated())
                .get("id");
        get("/api/v1/credit-notes/" + secondId).expectBody().jsonPath("$.number").isEqualTo("CN-" + year + "-000002")
                .jsonPath("$.total").isEqualTo("26.06").jsonPath("$.appliedToInvoice").isEqualTo("26.06");
        get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("paid")
                .jsonPath("$.paidAt").exists().jsonPath("$.amountDue").isEqualTo("0.00")
                .jsonPath("$.credited").isEqualTo("30.82");
        assertThat(outbox("invoice.paid", invoice)).isEqualTo(1);
        assertThat(outbox("credit_note.issued", secondId)).isEqualTo(1);
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.due").isEqualTo("0.00")
                .jsonPath("$.credit").isEqualTo("0.00");
        issue(invoice, "Nothing is left", creditLine("A cent", "0.01", null)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("credit_note.exceeds_invoice");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'revenue')].debits").isEqualTo("25.90")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'tax_payable')].debits").isEqualTo("4.92")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'accounts_receivable')].credits").isEqualTo("30.82");
        get("/api/v1/credit-notes?invoiceId=" + invoice).expectBody().jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].id").isEqualTo(firstId).jsonPath("$.items[1].id").isEqualTo(secondId);
    }

    @Test
    @DisplayName("on an invoice paid with credit, a credit note puts the money back on the customer's credit")
    void paidInvoiceGivesCreditBack() {
        String acme = customer("EUR", null);
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "30.00", "reason", "Migration bonus"))
                .expectStatus().isCreated();
        String paid = finalized(acme, line("Service", 1, "20.00"));
        get("/api/v1/invoices/" + paid).expectBody().jsonPath("$.status").isEqualTo("paid")
                .jsonPath("$.creditApplied").isEqualTo("20.00");

        issue(paid, "Plan downgraded mid-month", creditLine("Difference to the smaller plan", "5.00", null))
                .expectStatus().isCreated().expectBody().jsonPath("$.appliedToInvoice").isEqualTo("0.00")
                .jsonPath("$.toCredit").isEqualTo("5.00").jsonPath("$.number").isEqualTo("CN-" + year + "-000001");
        get("/api/v1/invoices/" + paid).expectBody().jsonPath("$.status").isEqualTo("paid")
                .jsonPath("$.credited").isEqualTo("0.00").jsonPath("$.amountDue").isEqualTo("0.00");
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("15.00")
                .jsonPath("$.due").isEqualTo("0.00");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'customer_credit')].credits").isEqualTo("35.00")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'customer_credit')].debits").isEqualTo("20.00")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'revenue')].debits").isEqualTo("5.00");
        assertThat(outbox("invoice.paid", paid)).isEqualTo(1);

        // Partly paid with credit: what is due is cleared first, what was paid goes back.
        String partly = finalized(acme, line("Service", 1, "25.00"));
        get("/api/v1/invoices/" + partly).expectBody().jsonPath("$.creditApplied").isEqualTo("15.00")
                .jsonPath("$.amountDue").isEqualTo("10.00");
        issue(partly, "Service never delivered", creditLine("Refund", "20.00", null)).expectStatus().isCreated()
                .expectBody().jsonPath("$.appliedToInvoice").isEqualTo("10.00").jsonPath("$.toCredit").isEqualTo("10.00");
        get("/api/v1/invoices/" + partly).expectBody().jsonPath("$.status").isEqualTo("paid")
                .jsonPath("$.credited").isEqualTo("10.00").jsonPath("$.amountDue").isEqualTo("0.00");
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("10.00")
                .jsonPath("$.due").isEqualTo("0.00");
        issue(partly, "Too much", creditLine("Refund", "5.01", null)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("credit_note.exceeds_invoice");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true);
        assertThat(outbox("invoice.paid", partly)).isEqualTo(1);
    }

    @Test
    @DisplayName("on a written-off invoice a credit note reverses bad debt; an invoice with credit notes is not voided")
    void writtenOffAndVoid() {
        String acme = customer("EUR", null);
        String lost = finalized(acme, line("Service", 1, "8.00"));
        post("/api/v1/invoices/" + lost + "/mark-uncollectible", null).expectStatus().isOk();
        issue(lost, "Billed one month too many", creditLine("Correction", "3.00", null)).expectStatus().isCreated()
                .expectBody().jsonPath("$.appliedToInvoice").isEqualTo("3.00");
        get("/api/v1/invoices/" + lost).expectBody().jsonPath("$.status").isEqualTo("uncollectible")
                .jsonPath("$.amountDue").isEqualTo("5.00").jsonPath("$.credited").isEqualTo("3.00");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'bad_debt')].debits").isEqualTo("8.00")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'bad_debt')].credits").isEqualTo("3.00");
        issue(lost, "The rest", creditLine("Correction", "5.00", null)).expectStatus().isCreated();
        get("/api/v1/invoices/" + lost).expectBody().jsonPath("$.status").isEqualTo("uncollectible")
                .jsonPath("$.amountDue").isEqualTo("0.00");
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "1.00", "reason", "x")).expectStatus().isCreated();
        post("/api/v1/invoices/" + lost + "/apply-credit", Map.of()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("invoice.state_conflict");

        // Finalizing spends the 1.00 of credit on it, the credit note takes 1.00 more off.
        String open = finalized(acme, line("Service", 1, "10.00"));
        issue(open, "Discount promised", creditLine("Discount", "1.00", null)).expectStatus().isCreated();
        post("/api/v1/invoices/" + open + "/void", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("invoice.state_conflict");
        get("/api/v1/invoices/" + open).expectBody().jsonPath("$.status").isEqualTo("open")
                .jsonPath("$.creditApplied").isEqualTo("1.00").jsonPath("$.amountDue").isEqualTo("8.00");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'bad_debt')].credits").isEqualTo("8.00");
    }

    @Test
    @DisplayName("drafts and void invoices are not credited, and the refusal takes no number")
    void draftAndVoidRefused() {
        String acme = customer("EUR", null);
        String draft = draft(acme, line("Service", 1, "10.00"));
        issue(draft, "Not yet issued", creditLine("x", "1.00", null)).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody()
                .jsonPath("$.code").isEqualTo("credit_note.invoice_not_creditable");
        String voided = finalized(acme, line("Service", 1, "10.00"));
        post("/api/v1/invoices/" + voided + "/void", null).expectStatus().isOk();
        issue(voided, "Already void", creditLine("x", "1.00", null)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("credit_note.invoice_not_creditable");

        get("/api/v1/credit-notes").expectBody().jsonPath("$.items.length()").isEqualTo(0);
        assertThat(outboxOfTenant("credit_note.issued")).isZero();
        String open = finalized(acme, line("Service", 1, "10.00"));
        issue(open, "First one", creditLine("x", "1.00", null)).expectStatus().isCreated().expectBody()
                .jsonPath("$.number").isEqualTo("CN-" + year + "-000001");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true);
    }

    @Test
    @DisplayName("bad input is answered with problem+json field by field, and nothing is stored")
    void badInput() {
        String acme = customer("EUR", null);
        String invoice = finalized(acme, line("Service", 1, "10.00"));
        String other = finalized(acme, line("Other", 1, "5.00"));
        String foreignLine = lineId(body(get("/api/v1/invoices/" + other)), 0);
        Map<String, Object> before = body(get("/api/v1/invoices/" + invoice));

        refused(invoice, Map.of("reason", "x", "lines", List.of(creditLine("x", "-1.00", null))), "lines[0].amount");
        refused(invoice, Map.of("reason", "x", "lines", List.of(creditLine("x", "0", null))), "lines[0].amount");
        refused(invoice, Map.of("reason", "x", "lines", List.of(creditLine("x", "1.001", null))), "lines[0].amount");
        refused(invoice, Map.of("reason", "x", "lines", List.of(creditLine("x", "ten", null))), "lines[0].amount");
        refused(invoice, Map.of("reason", "x", "lines", List.of(Map.of("description", "x"))), "lines[0].amount");
        refused(invoice, Map.of("reason", "x", "lines", List.of(creditLine(" ", "1.00", null))), "lines[0].description");
        refused(invoice, Map.of("reason", "x", "lines", List.of(creditLine("x", "1.00", foreignLine))),
                "lines[0].invoiceLineId");
        refused(invoice, Map.of("lines", List.of(creditLine("x", "1.00", null))), "reason");
        refused(invoice, Map.of("reason", "  ", "lines", List.of(creditLine("x", "1.00", null))), "reason");
        refused(invoice, Map.of("reason", "x".repeat(501), "lines", List.of(creditLine("x", "1.00", null))), "reason");
        refused(invoice, Map.of("reason", "x", "lines", List.of()), "lines");
        refused(invoice, Map.of("reason", "x"), "lines");
        post("/api/v1/invoices/" + invoice + "/credit-notes", Map.of("reason", "x", "lines", "not a list"))
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri("/api/v1/invoices/{id}/credit-notes", invoice).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"reason\": \"x\", \"lines\": [").exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        String yen = customer("JPY", null);
        String yenInvoice = finalized(yen, line("Service", 1, "1000"));
        refused(yenInvoice, Map.of("reason", "x", "lines", List.of(creditLine("x", "1.5", null))), "lines[0].amount");

        issue(UUID.randomUUID().toString(), "x", creditLine("x", "1.00", null)).expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("invoice.not_found");
        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        http.post().uri("/api/v1/invoices/{id}/credit-notes", invoice).headers(h -> h.setBearerAuth(otherToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "x", "lines", List.of(creditLine("x", "1.00", null)))).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("invoice.not_found");
        get("/api/v1/credit-notes/" + UUID.randomUUID()).expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("credit_note.not_found");
        get("/api/v1/credit-notes?limit=0").expectStatus().isBadRequest();
        get("/api/v1/credit-notes?invoiceId=nonsense").expectStatus().isBadRequest();

        // Nothing stored: no credit note, no event, the invoice and the ledger as they were.
        get("/api/v1/credit-notes").expectBody().jsonPath("$.items.length()").isEqualTo(0);
        assertThat(outboxOfTenant("credit_note.issued")).isZero();
        assertThat(body(get("/api/v1/invoices/" + invoice))).isEqualTo(before);
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[?(@.currency == 'EUR')].debits").isEqualTo("15.00");
        // And the first credit note issued afterwards still has the first number.
        issue(invoice, "Fine", creditLine("x", "1.00", null)).expectStatus().isCreated().expectBody()
                .jsonPath("$.number").isEqualTo("CN-" + year + "-000001");
    }

    @Test
    @DisplayName("client users see their own customer's credit notes only; other tenants see none; lists page")
    void visibility() {
        String acme = customer("EUR", null);
        String beta = customer("EUR", null);
        String acmeInvoice = finalized(acme, line("Service", 1, "10.00"));
        String betaInvoice = finalized(beta, line("Service", 1, "10.00"));
        String first = created(acmeInvoice, "1.00");
        String second = created(acmeInvoice, "2.00");
        String betas = created(betaInvoice, "3.00");
        post("/api/v1/customers/" + acme + "/users", Map.of("email", "jana@acme.example", "password", PASSWORD))
                .expectStatus().isCreated();
        String client = (String) login(http, tenant, "jana@acme.example", PASSWORD).get("accessToken");

        get("/api/v1/credit-notes", client).expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(2).jsonPath("$.items[0].id").isEqualTo(first)
                .jsonPath("$.items[1].id").isEqualTo(second);
        get("/api/v1/credit-notes/" + first, client).expectStatus().isOk();
        get("/api/v1/credit-notes/" + betas, client).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("credit_note.not_found");
        get("/api/v1/credit-notes?customerId=" + beta, client).expectBody().jsonPath("$.items.length()").isEqualTo(0);
        get("/api/v1/credit-notes?invoiceId=" + betaInvoice, client).expectBody().jsonPath("$.items.length()")
                .isEqualTo(0);
        http.post().uri("/api/v1/invoices/{id}/credit-notes", acmeInvoice).headers(h -> h.setBearerAuth(client))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "x", "lines", List.of(creditLine("x", "1.00", null)))).exchange()
                .expectStatus().isForbidden();

        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        get("/api/v1/credit-notes/" + first, otherToken).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("credit_note.not_found");
        get("/api/v1/credit-notes", otherToken).expectBody().jsonPath("$.items.length()").isEqualTo(0);
        get("/api/v1/credit-notes?invoiceId=" + acmeInvoice, otherToken).expectBody()
                .jsonPath("$.items.length()").isEqualTo(0);

        // Staff: everything, oldest first, with a cursor and filters.
        get("/api/v1/credit-notes?limit=2").expectBody().jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.nextCursor").isEqualTo(second);
        get("/api/v1/credit-notes?limit=2&after=" + second).expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(betas).jsonPath("$.nextCursor").doesNotExist();
        get("/api/v1/credit-notes?customerId=" + beta).expectBody().jsonPath("$.items.length()").isEqualTo(1);
        get("/api/v1/credit-notes?invoiceId=" + acmeInvoice).expectBody().jsonPath("$.items.length()").isEqualTo(2);
    }

    @Test
    @DisplayName("credit notes issued at once on two instances never exceed the invoice, and their numbers are gapless")
    void concurrentCreditNotes() {
        String acme = customer("EUR", null);
        String invoice = finalized(acme, line("Service", 1, "10.00"));
        WebTestClient other = SecondInstance.http();
        // Hibernate Validator caches a body type's constraints under a lock the first time it validates one; two event
        // loops doing that at once is a park BlockHound reports. A refused request (no reason) warms both instances.
        for (WebTestClient instance : List.of(http, other)) {
            instance.post().uri("/api/v1/invoices/{id}/credit-notes", invoice).headers(h -> h.setBearerAuth(ownerToken))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("lines", List.of(creditLine("Warm-up", "1.00", null)))).exchange()
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("credit_note.invalid");
        }
        int attempts = 12;
        List<Integer> statuses = Flux.range(0, attempts).parallel(6).runOn(Schedulers.boundedElastic())
                .map(i -> (i % 2 == 0 ? http : other).post().uri("/api/v1/invoices/{id}/credit-notes", invoice)
                        .headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("reason", "Refund " + i, "lines", List.of(creditLine("Refund", "1.00", null))))
                        .exchange().expectBody().returnResult().getStatus().value())
                .sequential().collectList().block(Duration.ofSeconds(120));

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(10);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(2);
        List<?> items = (List<?>) body(get("/api/v1/credit-notes?invoiceId=" + invoice)).get("items");
        assertThat(items.stream().map(item -> (String) ((Map<?, ?>) item).get("number")).toList())
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 10)
                        .mapToObj(n -> "CN-" + year + "-%06d".formatted(n)).toList());
        get("/api/v1/invoices/" + invoice).expectBody().jsonPath("$.status").isEqualTo("paid")
                .jsonPath("$.credited").isEqualTo("10.00").jsonPath("$.amountDue").isEqualTo("0.00");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true);
        assertThat(outbox("invoice.paid", invoice)).isEqualTo(1);
    }

    @Test
    @DisplayName("the database keeps credit notes unchanged and within their invoice's total on its own")
    void databaseGuards() {
        String acme = customer("EUR", null);
        String invoice = finalized(acme, line("Service", 1, "10.00"));
        String note = created(invoice, "4.00");
        String tenantId = tenantId();
        String number = (String) body(get("/api/v1/invoices/" + invoice)).get("number");

        assertThatThrownBy(() -> sql("UPDATE credit_note SET reason = 'changed' WHERE id = '" + note + "'", tenantId))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> sql("DELETE FROM credit_note_line WHERE credit_note_id = '" + note + "'", tenantId))
                .hasMessageContaining("permission denied");
        String forged = """
                INSERT INTO credit_note (id, tenant_id, invoice_id, invoice_number, customer_id, number, currency, reason,
                    subtotal_minor, tax_minor, total_minor, applied_to_invoice_minor, to_credit_minor, issued_at)
                VALUES ('%s', '%s', '%s', '%s', '%s', 'CN-FORGED', 'EUR', 'forged', 601, 0, 601, 601, 0, now())
                """.formatted(UUID.randomUUID(), tenantId, invoice, number, acme);
        assertThatThrownBy(() -> sql(forged, tenantId)).hasMessageContaining("would give back");
        get("/api/v1/credit-notes/" + note).expectBody().jsonPath("$.reason").isEqualTo("Refund")
                .jsonPath("$.lines.length()").isEqualTo(1);
        get("/api/v1/credit-notes").expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    private String created(String invoice, String amount) {
        return (String) body(issue(invoice, "Refund", creditLine("Refund", amount, null)).expectStatus().isCreated())
                .get("id");
    }

    private void refused(String invoice, Map<String, Object> body, String field) {
        post("/api/v1/invoices/" + invoice + "/credit-notes", body).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(((List<?>) problem.get("errors")).stream()
                        .map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList())
                        .as("for %s", body).contains(field));
    }

    private WebTestClient.ResponseSpec issue(String invoice, String reason, Map<?, ?>... lines) {
        return post("/api/v1/invoices/" + invoice + "/credit-notes", Map.of("reason", reason, "lines", List.of(lines)));
    }

    private static Map<String, Object> creditLine(String description, String amount, String invoiceLineId) {
        Map<String, Object> line = new HashMap<>();
        line.put("description", description);
        line.put("amount", amount);
        if (invoiceLineId != null) {
            line.put("invoiceLineId", invoiceLineId);
        }
        return line;
    }

    private String finalized(String customer, Map<?, ?>... lines) {
        String id = draft(customer, lines);
        post("/api/v1/invoices/" + id + "/finalize", null).expectStatus().isOk();
        return id;
    }

    private String draft(String customer, Map<?, ?>... lines) {
        return (String) body(post("/api/v1/invoices", Map.of("customerId", customer, "lines", List.of(lines)))
                .expectStatus().isCreated()).get("id");
    }

    private static Map<String, Object> line(String description, long quantity, String unitPrice) {
        return Map.of("description", description, "quantity", quantity, "unitPrice", unitPrice);
    }

    @SuppressWarnings("unchecked")
    private static String lineId(Map<String, Object> invoice, int index) {
        return (String) ((List<Map<String, Object>>) invoice.get("lines")).get(index).get("id");
    }

    private void taxRule(String name, String country, String percent) {
        post("/api/v1/tax-rules", Map.of("name", name, "country", country, "percent", percent)).expectStatus().isCreated();
    }

    private String customer(String currency, String country) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Customer " + UUID.randomUUID());
        body.put("email", "accounts@" + UUID.randomUUID() + ".example");
        body.put("currency", currency);
        if (country != null) {
            body.put("billingAddress", Map.of("line1", "Street 1", "city", "City", "postalCode", "12345", "country", country));
        }
        return (String) body(post("/api/v1/customers", body).expectStatus().isCreated()).get("id");
    }

    private long outbox(String type, String aggregate) {
        return database.sql("SELECT count(*) AS n FROM outbox WHERE event_type = :type AND aggregate_id = :id")
                .bind("type", type).bind("id", UUID.fromString(aggregate))
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
    }

    private long outboxOfTenant(String type) {
        return database.sql("SELECT count(*) AS n FROM outbox WHERE event_type = :type AND tenant_id = :tenant")
                .bind("type", type).bind("tenant", UUID.fromString(tenantId()))
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
    }

    private String tenantId() {
        return (String) body(get("/api/v1/auth/me")).get("tenantId");
    }

    private void sql(String statement, String tenantId) {
        database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n" + statement).then().block(Duration.ofSeconds(10));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(WebTestClient.ResponseSpec response) {
        return response.expectBody(Map.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        var request = http.post().uri(uri).headers(h -> h.setBearerAuth(ownerToken));
        return (body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body)).exchange();
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return get(uri, ownerToken);
    }

    private WebTestClient.ResponseSpec get(String uri, String token) {
        return http.get().uri(uri).headers(h -> h.setBearerAuth(token)).exchange();
    }
}
