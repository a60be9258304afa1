package io.hostrail.api.settings;

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

/** Billing settings, and EU VAT decided from them and the customer in tax quotes. */
@HostrailIntegrationTest
class BillingSettingsIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;

    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        String tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
    }

    @Test
    @DisplayName("defaults until saved; saved under the version read; stale is 409; audited")
    void settingsLifecycle() {
        get("/api/v1/settings/billing").expectStatus().isOk().expectBody()
                .jsonPath("$.version").isEqualTo(0).jsonPath("$.taxBasis").isEqualTo("exclusive")
                .jsonPath("$.invoiceNumberFormat").isEqualTo("INV-{yyyy}-{seq:6}")
                .jsonPath("$.invoiceNumberExample").isEqualTo("INV-2026-000001")
                .jsonPath("$.renewalLeadDays").isEqualTo(14);
        Map<String, Object> settings = settings("de", 0);
        settings.put("invoiceNumberFormat", "R{yy}{mm}-{seq:4}");
        settings.put("taxRounding", "per_invoice");
        put(settings).expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.sellerCountry").isEqualTo("DE").jsonPath("$.invoiceNumberExample").isEqualTo("R2601-0001")
                .jsonPath("$.taxRounding").isEqualTo("per_invoice");
        put(settings).expectStatus().isEqualTo(HttpStatus.CONFLICT);
        get("/api/v1/settings/billing").expectBody().jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.invoiceNumberFormat").isEqualTo("R{yy}{mm}-{seq:4}");
        get("/api/v1/audit?action=settings.billing_updated").expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    @DisplayName("bad settings are refused field by field and change nothing")
    void badSettings() {
        Map<String, Object> bad = settings("XX", 0);
        bad.put("taxBasis", "gross");
        bad.put("invoiceNumberFormat", "INV-{yyyy}");
        bad.put("renewalLeadDays", 365);
        put(bad).expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(((List<?>) problem.get("errors")).stream()
                        .map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList())
                        .contains("sellerCountry", "taxBasis", "invoiceNumberFormat", "renewalLeadDays"));
        Map<String, Object> same = settings("DE", 0);
        same.put("invoiceNumberFormat", "DOC-{seq}");
        same.put("creditNoteNumberFormat", "DOC-{seq}");
        put(same).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("creditNoteNumberFormat");
        Map<String, Object> noVersion = settings("DE", 0);
        noVersion.remove("version");
        put(noVersion).expectStatus().isBadRequest();
        get("/api/v1/settings/billing").expectBody().jsonPath("$.version").isEqualTo(0);
    }

    @Test
    @DisplayName("an EU business in another member state is reverse charged; a consumer there pays its own country's VAT")
    void euVatFromTheCustomer() {
        put(settings("DE", 0)).expectStatus().isOk();
        post("/api/v1/tax-rules", Map.of("name", "USt", "country", "AT", "percent", "20")).expectStatus().isCreated();
        post("/api/v1/tax-rules", Map.of("name", "MwSt", "country", "DE", "percent", "19")).expectStatus().isCreated();
        String business = customer("ATU12345678", "AT");
        String consumer = customer(null, "AT");
        String domestic = customer("DE123456789", "DE");
        String homeless = customer(null, null);

        quote(business).expectStatus().isOk().expectBody().jsonPath("$.reverseCharge").isEqualTo(true)
                .jsonPath("$.tax").isEqualTo("0.00").jsonPath("$.currency").isEqualTo("EUR")
                .jsonPath("$.note").value(note -> assertThat((String) note).contains("Reverse charge"));
        quote(consumer).expectBody().jsonPath("$.reverseCharge").isEqualTo(false).jsonPath("$.tax").isEqualTo("20.00")
                .jsonPath("$.totals[0].name").isEqualTo("USt");
        quote(domestic).expectBody().jsonPath("$.reverseCharge").isEqualTo(false).jsonPath("$.tax").isEqualTo("19.00");
        quote(homeless).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("customerId");
        post("/api/v1/tax-quotes", Map.of("customerId", java.util.UUID.randomUUID().toString(), "amounts", List.of("1.00")))
                .expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec quote(String customerId) {
        return post("/api/v1/tax-quotes", Map.of("customerId", customerId, "amounts", List.of("100.00")));
    }

    private String customer(String taxId, String country) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Customer");
        body.put("email", "accounts@" + java.util.UUID.randomUUID() + ".example");
        body.put("currency", "EUR");
        if (taxId != null) {
            body.put("taxId", taxId);
        }
        if (country != null) {
            body.put("billingAddress", Map.of("line1", "Street 1", "city", "City", "postalCode", "1010", "country", country));
        }
        return (String) post("/api/v1/customers", body).expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody().get("id");
    }

    private static Map<String, Object> settings(String sellerCountry, int version) {
        Map<String, Object> body = new HashMap<>();
        body.put("sellerCountry", sellerCountry);
        body.put("version", version);
        return body;
    }

    private WebTestClient.ResponseSpec put(Map<String, Object> body) {
        return http.put().uri("/api/v1/settings/billing").headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return http.post().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return http.get().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).exchange();
    }
}
