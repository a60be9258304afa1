package io.hostrail.api.ledger;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Credit through the ledger: balances derived from balanced entries, and the proof that the whole ledger balances. */
@HostrailIntegrationTest
class LedgerIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private String tenant;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
    }

    @Test
    @DisplayName("credits add up on the customer's balance, and the ledger balances after every one")
    void creditsAndTrialBalance() {
        String acme = customer(ownerToken, "EUR");
        credit(acme, Map.of("amount", "25.00", "reason", "Goodwill")).expectStatus().isCreated()
                .expectBody().jsonPath("$.balance.credit").isEqualTo("25.00").jsonPath("$.transactionId").exists();
        credit(acme, Map.of("amount", "10.5", "currency", "eur", "reason", "Outage")).expectStatus().isCreated()
                .expectBody().jsonPath("$.balance.credit").isEqualTo("35.50").jsonPath("$.balance.due").isEqualTo("0.00");
        String yen = customer(ownerToken, "JPY");
        credit(yen, Map.of("amount", "500", "reason", "Welcome")).expectStatus().isCreated();

        get("/api/v1/customers/" + acme + "/balance", ownerToken).expectStatus().isOk().expectBody()
                .jsonPath("$.currency").isEqualTo("EUR").jsonPath("$.credit").isEqualTo("35.50");
        get("/api/v1/ledger/trial-balance", ownerToken).expectStatus().isOk().expectBody()
                .jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies.length()").isEqualTo(2)
                .jsonPath("$.currencies[0].currency").isEqualTo("EUR")
                .jsonPath("$.currencies[0].debits").isEqualTo("35.50")
                .jsonPath("$.currencies[0].credits").isEqualTo("35.50")
                .jsonPath("$.currencies[0].accounts[?(@.account == 'customer_credit')].credits").isEqualTo("35.50")
                .jsonPath("$.currencies[1].currency").isEqualTo("JPY");
        Long events = database.sql("SELECT count(*) AS n FROM outbox WHERE event_type = 'customer.credit_granted' "
                        + "AND aggregate_id = :id").bind("id", UUID.fromString(acme))
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
        assertThat(events).isEqualTo(2);
        get("/api/v1/audit?action=customer.credit_granted&targetId=" + acme, ownerToken)
                .expectBody().jsonPath("$.items.length()").isEqualTo(2);
    }

    @Test
    @DisplayName("bad credits are refused field by field and record nothing")
    void badCredits() {
        String acme = customer(ownerToken, "EUR");
        refused(acme, Map.of("amount", "0", "reason", "x"), "amount");
        refused(acme, Map.of("amount", "-5.00", "reason", "x"), "amount");
        refused(acme, Map.of("amount", "1.234", "reason", "x"), "amount");
        refused(acme, Map.of("amount", "5.00", "currency", "USD", "reason", "x"), "currency");
        refused(acme, Map.of("amount", "5.00", "reason", " "), "reason");
        credit(acme, "{\"amount\": 5, \"reason\": ").expectStatus().isBadRequest();
        credit(UUID.randomUUID().toString(), Map.of("amount", "5.00", "reason", "x")).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("customer.not_found");
        get("/api/v1/customers/" + acme + "/balance", ownerToken).expectBody().jsonPath("$.credit").isEqualTo("0.00");
        get("/api/v1/ledger/trial-balance", ownerToken).expectBody().jsonPath("$.currencies.length()").isEqualTo(0)
                .jsonPath("$.balanced").isEqualTo(true);
    }

    @Test
    @DisplayName("another tenant's customer is not found; a client user sees its own balance only and grants nothing")
    void isolation() {
        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        String theirs = customer(otherToken, "EUR");
        credit(theirs, Map.of("amount", "5.00", "reason", "x")).expectStatus().isNotFound();
        get("/api/v1/customers/" + theirs + "/balance", ownerToken).expectStatus().isNotFound();
        http.get().uri("/api/v1/ledger/trial-balance").headers(h -> h.setBearerAuth(otherToken)).exchange()
                .expectBody().jsonPath("$.currencies.length()").isEqualTo(0);

        String acme = customer(ownerToken, "EUR");
        String beta = customer(ownerToken, "EUR");
        credit(acme, Map.of("amount", "7.00", "reason", "x")).expectStatus().isCreated();
        http.post().uri("/api/v1/customers/{id}/users", acme).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "jana@acme.example", "password", PASSWORD))
                .exchange().expectStatus().isCreated();
        String client = (String) login(http, tenant, "jana@acme.example", PASSWORD).get("accessToken");
        get("/api/v1/customers/" + acme + "/balance", client).expectStatus().isOk().expectBody()
                .jsonPath("$.credit").isEqualTo("7.00");
        get("/api/v1/customers/" + beta + "/balance", client).expectStatus().isNotFound();
        http.post().uri("/api/v1/customers/{id}/credits", acme).headers(h -> h.setBearerAuth(client))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("amount", "100.00", "reason", "free money"))
                .exchange().expectStatus().isForbidden();
        get("/api/v1/ledger/trial-balance", client).expectStatus().isForbidden();
    }

    @Test
    @DisplayName("the database itself refuses an unbalanced transaction and any change to recorded entries")
    void databaseGuardsTheLedger() {
        String acme = customer(ownerToken, "EUR");
        credit(acme, Map.of("amount", "1.00", "reason", "x")).expectStatus().isCreated();
        String tenantId = (String) http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(ownerToken))
                .exchange().expectBody(Map.class).returnResult().getResponseBody().get("tenantId");
        UUID transaction = UUID.randomUUID();
        // One simple query is one transaction: the deferred balance check runs at its end, and a failure rolls it back.
        String unbalanced = """
                SET LOCAL hostrail.tenant_id = '%1$s';
                INSERT INTO ledger_transaction (id, tenant_id, kind, customer_id, description, occurred_at)
                    VALUES ('%2$s', '%1$s', 'forged', '%3$s', 'forged', now());
                INSERT INTO ledger_entry (tenant_id, transaction_id, account, customer_id, currency, debit_minor, credit_minor)
                    VALUES ('%1$s', '%2$s', 'customer_credit', '%3$s', 'EUR', 0, 100000);
                """.formatted(tenantId, transaction, acme);
        assertThatThrownBy(() -> database.sql(unbalanced).then().block(Duration.ofSeconds(10)))
                .hasMessageContaining("does not balance");
        String tamper = """
                SET LOCAL hostrail.tenant_id = '%s';
                UPDATE ledger_entry SET credit_minor = 100000;
                """.formatted(tenantId);
        assertThatThrownBy(() -> database.sql(tamper).then().block(Duration.ofSeconds(10)))
                .hasMessageContaining("permission denied");
        get("/api/v1/customers/" + acme + "/balance", ownerToken).expectBody().jsonPath("$.credit").isEqualTo("1.00");
        get("/api/v1/ledger/trial-balance", ownerToken).expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].credits").isEqualTo("1.00");
    }

    private void refused(String customerId, Map<String, Object> body, String field) {
        credit(customerId, body).expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(((List<?>) problem.get("errors")).stream()
                        .map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList())
                        .as("for %s", body).contains(field));
    }

    private String customer(String token, String currency) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Customer " + UUID.randomUUID());
        body.put("email", "accounts@" + UUID.randomUUID() + ".example");
        body.put("currency", currency);
        return (String) http.post().uri("/api/v1/customers").headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private WebTestClient.ResponseSpec credit(String customerId, Object body) {
        return http.post().uri("/api/v1/customers/{id}/credits", customerId).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String uri, String token) {
        return http.get().uri(uri).headers(h -> h.setBearerAuth(token)).exchange();
    }
}
