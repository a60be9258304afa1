package io.hostrail.api.customer;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Customer accounts, and client users who see their own customer and nothing else. */
@HostrailIntegrationTest
class CustomerIT {

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
    @DisplayName("a customer is created, read, listed by filter and cursor, and updated with its version")
    void lifecycle() {
        Map<?, ?> acme = create(acme("Acme GmbH", "accounts@acme.example")).expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/v1/customers/[0-9a-f-]{36}")
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(acme.get("taxId")).isEqualTo("DE123456789");
        assertThat(acme.get("currency")).isEqualTo("EUR");
        assertThat(acme.get("language")).isEqualTo("de-AT");
        assertThat((List<?>) acme.get("contacts")).hasSize(1);
        create(acme("Beta Ltd", "ops@beta.example")).expectStatus().isCreated();
        create(acme("Gamma Ltd", "ops@gamma.example")).expectStatus().isCreated();

        Map<?, ?> firstPage = get("/api/v1/customers?limit=2", ownerToken).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> secondPage = get("/api/v1/customers?limit=2&after=" + firstPage.get("nextCursor"), ownerToken)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) firstPage.get("items")).hasSize(2);
        assertThat((List<?>) secondPage.get("items")).hasSize(1);
        get("/api/v1/customers?email=OPS@beta.example", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(1);

        Map<String, Object> changed = acme("Acme GmbH", "finance@acme.example");
        changed.put("status", "suspended");
        changed.put("version", 0);
        put("/api/v1/customers/" + acme.get("id"), changed).expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(1).jsonPath("$.status").isEqualTo("suspended");
        put("/api/v1/customers/" + acme.get("id"), changed).expectStatus().isEqualTo(HttpStatus.CONFLICT);
        get("/api/v1/customers?status=suspended", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(1);

        Long created = database.sql("SELECT count(*) AS n FROM outbox WHERE event_type = 'customer.created' AND aggregate_id = :id")
                .bind("id", UUID.fromString((String) acme.get("id"))).map(row -> row.get("n", Long.class)).one()
                .block(java.time.Duration.ofSeconds(10));
        assertThat(created).isEqualTo(1);
    }

    @Test
    @DisplayName("bad input is answered field by field and creates nothing")
    void badInput() {
        Map<String, Object> bad = acme("Acme", "accounts@acme.example");
        bad.put("currency", "XYZ");
        bad.put("taxId", "DE12");
        bad.put("language", "12");
        bad.put("billingAddress", Map.of("country", "ZZ"));
        bad.put("contacts", List.of(Map.of("name", "Jana", "email", "not-an-email")));
        create(bad).expectStatus().isBadRequest()
                .expectBody(Map.class).value(problem -> assertThat(((List<?>) problem.get("errors")).stream()
                        .map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList())
                        .contains("currency", "taxId", "language", "billingAddress", "contacts[0]"));
        Map<String, Object> gold = acme("Acme", "accounts@acme.example");
        gold.put("currency", "XAU");
        create(gold).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("currency");
        Map<String, Object> nameless = acme(" ", "accounts@acme.example");
        create(nameless).expectStatus().isBadRequest();
        http.post().uri("/api/v1/customers").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"Acme\", \"currency\": 7").exchange().expectStatus().isBadRequest();

        get("/api/v1/customers", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    @DisplayName("a client user sees its own customer only: another customer is 404, staff functions 403")
    void clientUsersSeeTheirOwnCustomer() {
        String acmeId = (String) create(acme("Acme GmbH", "accounts@acme.example")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        String betaId = (String) create(acme("Beta Ltd", "ops@beta.example")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        http.post().uri("/api/v1/customers/{id}/users", acmeId).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "jana@acme.example", "password", PASSWORD)).exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.customerId").isEqualTo(acmeId);
        http.post().uri("/api/v1/customers/{id}/users", UUID.randomUUID()).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ghost@acme.example", "password", PASSWORD)).exchange()
                .expectStatus().isNotFound();

        Map<String, Object> signedIn = login(http, tenant, "jana@acme.example", PASSWORD);
        String client = (String) signedIn.get("accessToken");
        assertThat(((Map<?, ?>) signedIn.get("user")).get("kind")).isEqualTo("client");
        assertThat(((Map<?, ?>) signedIn.get("user")).get("customerId")).isEqualTo(acmeId);

        get("/api/v1/customers/" + acmeId, client).expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("Acme GmbH");
        get("/api/v1/customers/" + betaId, client).expectStatus().isNotFound();
        get("/api/v1/customers", client).expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(acmeId);
        get("/api/v1/users", client).expectStatus().isForbidden();
        get("/api/v1/audit", client).expectStatus().isForbidden();
        Map<String, Object> takeover = acme("Acme GmbH", "attacker@evil.example");
        takeover.put("version", 0);
        http.put().uri("/api/v1/customers/{id}", acmeId).headers(h -> h.setBearerAuth(client))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(takeover).exchange().expectStatus().isForbidden();
        get("/api/v1/customers/" + acmeId, ownerToken).expectBody().jsonPath("$.email").isEqualTo("accounts@acme.example");
    }

    @Test
    @DisplayName("only someone holding every client-portal permission can create a client login")
    void clientLoginsAreNotAnEscalation() {
        String acmeId = (String) create(acme("Acme GmbH", "accounts@acme.example")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        http.post().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "onboarding", "permissions", List.of("user:write", "customer:read"))).exchange()
                .expectStatus().isCreated();
        List<?> roles = http.get().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(List.class).returnResult().getResponseBody();
        Object onboarding = roles.stream().map(Map.class::cast).filter(r -> "onboarding".equals(r.get("name")))
                .map(r -> r.get("id")).findFirst().orElseThrow();
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "onboarder@" + tenant + ".test", "password", PASSWORD, "roleIds", List.of(onboarding)))
                .exchange().expectStatus().isCreated();
        String onboarder = accessToken(http, tenant, "onboarder@" + tenant + ".test", PASSWORD);

        http.post().uri("/api/v1/customers/{id}/users", acmeId).headers(h -> h.setBearerAuth(onboarder))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", "sneaky@acme.example", "password", PASSWORD))
                .exchange().expectStatus().isForbidden();
    }

    private static Map<String, Object> acme(String name, String email) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("email", email);
        body.put("company", name);
        body.put("taxId", "de 123 456 789");
        body.put("currency", "eur");
        body.put("language", "de-AT");
        body.put("billingAddress", Map.of("line1", "Hauptstraße 1", "city", "Berlin", "postalCode", "10115", "country", "de"));
        body.put("contacts", List.of(Map.of("name", "Jana Jones", "email", "billing@acme.example", "role", "billing")));
        return body;
    }

    private WebTestClient.ResponseSpec create(Map<String, Object> body) {
        return http.post().uri("/api/v1/customers").headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec put(String uri, Map<String, Object> body) {
        return http.put().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String uri, String token) {
        return http.get().uri(uri).headers(h -> h.setBearerAuth(token)).exchange();
    }
}
