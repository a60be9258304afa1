package io.hostrail.api.tax;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Tax rules through the API, and quotes that apply them exactly as invoices will. */
@HostrailIntegrationTest
class TaxIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;

    private String tenant;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
    }

    @Test
    @DisplayName("country and regional rules combine in sequence, compound ones on the taxes before them")
    void quotesApplyTheRulesOfThePlace() {
        createRule(rule("VAT", "DE", null, "19", false, 0));
        createRule(rule("GST", "CA", null, "5", false, 0));
        createRule(rule("QST", "CA", "qc", "9.5", true, 1));
        createRule(rule("PST", "CA", "BC", "7", false, 1));
        get("/api/v1/tax-rules?country=ca").expectStatus().isOk().expectBody().jsonPath("$.items.length()").isEqualTo(3)
                .jsonPath("$.items[0].name").isEqualTo("GST");

        quote(Map.of("currency", "EUR", "country", "DE", "amounts", List.of("9.99", "100.00"))).expectStatus().isOk()
                .expectBody().jsonPath("$.lines[0].taxes[0].amount").isEqualTo("1.90")
                .jsonPath("$.tax").isEqualTo("20.90").jsonPath("$.gross").isEqualTo("130.89")
                .jsonPath("$.totals[0].name").isEqualTo("VAT").jsonPath("$.totals[0].percent").isEqualTo("19");
        quote(Map.of("currency", "CAD", "country", "CA", "region", "QC", "amounts", List.of("100.00"))).expectStatus().isOk()
                .expectBody().jsonPath("$.totals[0].amount").isEqualTo("5.00")
                .jsonPath("$.totals[1].name").isEqualTo("QST").jsonPath("$.totals[1].amount").isEqualTo("9.98")
                .jsonPath("$.gross").isEqualTo("114.98");
        quote(Map.of("currency", "CAD", "country", "CA", "region", "BC", "amounts", List.of("100.00")))
                .expectBody().jsonPath("$.tax").isEqualTo("12.00");
        quote(Map.of("currency", "CAD", "country", "CA", "region", "ON", "amounts", List.of("100.00")))
                .expectBody().jsonPath("$.totals.length()").isEqualTo(1).jsonPath("$.tax").isEqualTo("5.00");
        quote(Map.of("currency", "EUR", "country", "DE", "basis", "inclusive", "amounts", List.of("119.00")))
                .expectBody().jsonPath("$.net").isEqualTo("100.00").jsonPath("$.gross").isEqualTo("119.00");
        quote(Map.of("currency", "EUR", "country", "DE", "rounding", "per_invoice", "amounts", List.of("0.02", "0.02", "0.02")))
                .expectBody().jsonPath("$.tax").isEqualTo("0.01");
        quote(Map.of("currency", "EUR", "country", "DE", "amounts", List.of("0.02", "0.02", "0.02")))
                .expectBody().jsonPath("$.tax").isEqualTo("0.00");
        quote(Map.of("currency", "USD", "country", "US", "amounts", List.of("10.00")))
                .expectBody().jsonPath("$.totals.length()").isEqualTo(0).jsonPath("$.gross").isEqualTo("10.00");
    }

    @Test
    @DisplayName("a rule is updated under its version and deleted; quotes follow")
    void updateAndDelete() {
        String id = createRule(rule("VAT", "AT", null, "20", false, 0));
        Map<String, Object> changed = rule("USt", "AT", null, "10", false, 0);
        changed.put("version", 0);
        put("/api/v1/tax-rules/" + id, changed).expectStatus().isOk().expectBody()
                .jsonPath("$.version").isEqualTo(1).jsonPath("$.percent").isEqualTo("10");
        put("/api/v1/tax-rules/" + id, changed).expectStatus().isEqualTo(HttpStatus.CONFLICT);
        quote(Map.of("currency", "EUR", "country", "AT", "amounts", List.of("100.00"))).expectBody().jsonPath("$.tax").isEqualTo("10.00");
        http.delete().uri("/api/v1/tax-rules/" + id).headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isNoContent();
        get("/api/v1/tax-rules/" + id).expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("tax_rule.not_found");
        quote(Map.of("currency", "EUR", "country", "AT", "amounts", List.of("100.00"))).expectBody().jsonPath("$.tax").isEqualTo("0.00");
        get("/api/v1/audit?targetId=" + id).expectBody().jsonPath("$.items.length()").isEqualTo(3);
    }

    @Test
    @DisplayName("bad rules and quotes are refused field by field, and nothing is created")
    void badInput() {
        refusedRule(rule("VAT", "XX", null, "19", false, 0), "country");
        refusedRule(rule("VAT", "DE", null, "abc", false, 0), "percent");
        refusedRule(rule("VAT", "DE", null, "100.5", false, 0), "percent");
        refusedRule(rule("VAT", "DE", null, "7.12345", false, 0), "percent");
        refusedRule(rule("VAT", "DE", "Bavaria", "19", false, 0), "region");
        refusedRule(rule("VAT", "DE", null, "19", false, -1), "sequence");
        http.post().uri("/api/v1/tax-rules").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"VAT\", \"percent\": [19]}").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        get("/api/v1/tax-rules").expectBody().jsonPath("$.items.length()").isEqualTo(0);

        refusedQuote(Map.of("currency", "XYZ", "country", "DE", "amounts", List.of("1.00")), "currency");
        refusedQuote(Map.of("currency", "EUR", "country", "DE", "amounts", List.of("9.999")), "amounts[0]");
        refusedQuote(Map.of("currency", "EUR", "country", "DE", "amounts", List.of("-1.00")), "amounts[0]");
        refusedQuote(Map.of("currency", "EUR", "country", "DE", "basis", "gross", "amounts", List.of("1.00")), "basis");
        refusedQuote(Map.of("currency", "EUR", "country", "DE", "rounding", "line", "amounts", List.of("1.00")), "rounding");
        refusedQuote(Map.of("currency", "EUR", "country", "ZZ", "amounts", List.of("1.00")), "country");
    }

    @Test
    @DisplayName("another tenant's rules are not found and never apply here")
    void otherTenantsRules() {
        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        String theirs = id(http.post().uri("/api/v1/tax-rules").headers(h -> h.setBearerAuth(otherToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(rule("VAT", "FR", null, "20", false, 0)).exchange());
        get("/api/v1/tax-rules/" + theirs).expectStatus().isNotFound();
        http.delete().uri("/api/v1/tax-rules/" + theirs).headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isNotFound();
        quote(Map.of("currency", "EUR", "country", "FR", "amounts", List.of("100.00"))).expectBody().jsonPath("$.tax").isEqualTo("0.00");
        http.get().uri("/api/v1/tax-rules/" + theirs).headers(h -> h.setBearerAuth(otherToken)).exchange().expectStatus().isOk();
    }

    private void refusedRule(Map<String, Object> body, String field) {
        post("/api/v1/tax-rules", body).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(fields(problem)).as("for %s", body).contains(field));
    }

    private void refusedQuote(Map<String, Object> body, String field) {
        quote(body).expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(fields(problem)).as("for %s", body).contains(field));
    }

    private static List<String> fields(Map<?, ?> problem) {
        return ((List<?>) problem.get("errors")).stream().map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList();
    }

    private static Map<String, Object> rule(String name, String country, String region, String percent, boolean compound,
            int sequence) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("country", country);
        if (region != null) {
            body.put("region", region);
        }
        body.put("percent", percent);
        body.put("compound", compound);
        body.put("sequence", sequence);
        return body;
    }

    private String createRule(Map<String, Object> body) {
        return id(post("/api/v1/tax-rules", body).expectStatus().isCreated());
    }

    private static String id(WebTestClient.ResponseSpec response) {
        return (String) response.expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private WebTestClient.ResponseSpec quote(Map<String, Object> body) {
        return post("/api/v1/tax-quotes", body);
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return http.post().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec put(String uri, Object body) {
        return http.put().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return http.get().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).exchange();
    }
}
