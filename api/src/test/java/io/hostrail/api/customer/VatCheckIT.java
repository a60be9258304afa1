package io.hostrail.api.customer;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.FakeVies;
import io.hostrail.api.support.FakeVies.Answer;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * EU VAT numbers checked with VIES (the test profile turns the checks on, against {@link FakeVies}): what a customer
 * records, the re-check, and reverse charge that follows only a number VIES found valid. The tenant sells from
 * Germany and taxes Austria and France at 20 %.
 */
@HostrailIntegrationTest
class VatCheckIT {

    private static final String PASSWORD = "a long and unguessable passphrase";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;

    private String tenant;
    private String ownerToken;

    @BeforeEach
    void sellerInGermany() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
        put("/api/v1/settings/billing", Map.of("sellerCountry", "DE", "version", 0)).expectStatus().isOk();
        post("/api/v1/tax-rules", Map.of("name", "USt", "country", "AT", "percent", "20")).expectStatus().isCreated();
        post("/api/v1/tax-rules", Map.of("name", "TVA", "country", "FR", "percent", "20")).expectStatus().isCreated();
    }

    @Test
    @DisplayName("a number VIES finds valid is recorded with the registered name, and the customer is reverse charged")
    void validNumber() {
        String number = austrianNumber();
        Map<?, ?> created = create(customer(number, "AT")).expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
        assertThat(created.get("vatCheck")).isEqualTo(Map.of("status", "valid", "checkedAt", "2026-03-02T10:15:30.123Z",
                "name", "TRADER " + number));
        assertThat(created.get("version")).as("a check is no edit").isEqualTo(0);
        String id = (String) created.get("id");

        get("/api/v1/customers/" + id).expectBody().jsonPath("$.vatCheck.status").isEqualTo("valid");
        quote(id).expectBody().jsonPath("$.reverseCharge").isEqualTo(true).jsonPath("$.tax").isEqualTo("0.00");
        assertThat(FakeVies.requestsFor(number)).containsExactly(new FakeVies.Request("AT", number.substring(2)));
        get("/api/v1/audit?targetId=" + id).expectBody()
                .jsonPath("$.items[0].action").isEqualTo("customer.vat_checked")
                .jsonPath("$.items[1].action").isEqualTo("customer.created");
    }

    @Test
    @DisplayName("a number VIES does not know is recorded invalid; the customer is kept and taxed where it is")
    void invalidNumber() {
        String number = austrianNumber();
        FakeVies.answer(number, Answer.INVALID);
        String id = id(create(customer(number, "AT")).expectStatus().isCreated()
                .expectBody().jsonPath("$.vatCheck.status").isEqualTo("invalid")
                .jsonPath("$.vatCheck.name").doesNotExist());
        quote(id).expectBody().jsonPath("$.reverseCharge").isEqualTo(false).jsonPath("$.tax").isEqualTo("20.00");

        create(customer(FakeVies.UNREGISTERED, "DE")).expectStatus().isCreated()
                .expectBody().jsonPath("$.vatCheck.status").isEqualTo("invalid");
    }

    @Test
    @DisplayName("while a member state is down the customer is saved as unavailable and taxed; a re-check once it is back records valid")
    void memberStateDown() {
        String number = austrianNumber();
        FakeVies.answer(number, Answer.MS_UNAVAILABLE);
        String id = id(create(customer(number, "AT")).expectStatus().isCreated()
                .expectBody().jsonPath("$.vatCheck.status").isEqualTo("unavailable")
                .jsonPath("$.vatCheck.checkedAt").exists());
        quote(id).expectBody().jsonPath("$.reverseCharge").isEqualTo(false).jsonPath("$.tax").isEqualTo("20.00");
        assertThat(FakeVies.requestsFor(number)).as("tried twice (hostrail.vies.max-attempts)").hasSize(2);

        recheck(id).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("unavailable")
                .jsonPath("$.reason").isEqualTo("MS_UNAVAILABLE")
                .jsonPath("$.vatCheck.status").isEqualTo("unavailable");

        FakeVies.answer(number, Answer.VALID);
        recheck(id).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("valid")
                .jsonPath("$.name").isEqualTo("TRADER " + number)
                .jsonPath("$.address").isEqualTo("1 TEST STREET")
                .jsonPath("$.reason").doesNotExist()
                .jsonPath("$.vatCheck.status").isEqualTo("valid");
        get("/api/v1/customers/" + id).expectBody().jsonPath("$.vatCheck.status").isEqualTo("valid")
                .jsonPath("$.version").isEqualTo(0);
        quote(id).expectBody().jsonPath("$.reverseCharge").isEqualTo(true);
    }

    @Test
    @DisplayName("an outage keeps a number's earlier answer through re-checks and edits; a new number is checked afresh")
    void outageAfterAnAnswer() {
        String number = austrianNumber();
        Map<String, Object> body = customer(number, "AT");
        String id = id(create(body).expectStatus().isCreated());

        FakeVies.answer(number, Answer.SERVER_ERROR);
        recheck(id).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("unavailable")
                .jsonPath("$.reason").isEqualTo("HTTP_500")
                .jsonPath("$.vatCheck.status").isEqualTo("valid");
        body.put("billingAddress", Map.of("line1", "Ring 2", "city", "Wien", "postalCode", "1010", "country", "AT"));
        body.put("version", 0);
        put("/api/v1/customers/" + id, body).expectStatus().isOk().expectBody()
                .jsonPath("$.version").isEqualTo(1).jsonPath("$.vatCheck.status").isEqualTo("valid");
        quote(id).expectBody().jsonPath("$.reverseCharge").isEqualTo(true);

        String replacement = austrianNumber();
        FakeVies.answer(replacement, Answer.MS_UNAVAILABLE);
        body.put("taxId", replacement);
        body.put("version", 1);
        put("/api/v1/customers/" + id, body).expectStatus().isOk().expectBody()
                .jsonPath("$.vatCheck.status").isEqualTo("unavailable");
        quote(id).expectBody().jsonPath("$.reverseCharge").isEqualTo(false);
    }

    @Test
    @DisplayName("a Greek number goes to VIES as EL")
    void greece() {
        String number = "EL" + digits(9);
        String id = id(create(customer(number, "GR")).expectStatus().isCreated()
                .expectBody().jsonPath("$.vatCheck.status").isEqualTo("valid"));
        assertThat(FakeVies.requestsFor(number)).containsExactly(new FakeVies.Request("EL", number.substring(2)));
        post("/api/v1/tax-rules", Map.of("name", "FPA", "country", "GR", "percent", "24")).expectStatus().isCreated();
        quote(id).expectBody().jsonPath("$.reverseCharge").isEqualTo(true);
    }

    @Test
    @DisplayName("customers without an EU VAT number are not sent to VIES, and cannot be re-checked")
    void noEuVatNumber() {
        String american = id(create(customer("EIN" + digits(6), "US")).expectStatus().isCreated()
                .expectBody().jsonPath("$.vatCheck").doesNotExist());
        String consumer = id(create(customer(null, "AT")).expectStatus().isCreated()
                .expectBody().jsonPath("$.vatCheck").doesNotExist());

        recheck(american).expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("customer.no_eu_vat_number");
        recheck(consumer).expectStatus().isEqualTo(422);
        recheck(UUID.randomUUID().toString()).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("customer.not_found");
    }

    @Test
    @DisplayName("a client user may not re-check, not even its own customer")
    void clientUsersMayNotRecheck() {
        String id = id(create(customer(austrianNumber(), "AT")).expectStatus().isCreated());
        post("/api/v1/customers/" + id + "/users", Map.of("email", "jana@acme.example", "password", PASSWORD))
                .expectStatus().isCreated();
        String client = (String) login(http, tenant, "jana@acme.example", PASSWORD).get("accessToken");
        http.post().uri("/api/v1/customers/{id}/vat-check", id).headers(h -> h.setBearerAuth(client)).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/v1/customers/{id}", id).headers(h -> h.setBearerAuth(client)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.vatCheck.status").isEqualTo("valid");
    }

    private static String austrianNumber() {
        return "ATU" + digits(8);
    }

    private static String digits(int count) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < count; i++) {
            digits.append(RANDOM.nextInt(10));
        }
        return digits.toString();
    }

    private static Map<String, Object> customer(String taxId, String country) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Acme");
        body.put("email", "accounts@" + UUID.randomUUID() + ".example");
        body.put("company", "Acme");
        body.put("currency", "EUR");
        if (taxId != null) {
            body.put("taxId", taxId);
        }
        body.put("billingAddress", Map.of("line1", "Street 1", "city", "City", "postalCode", "1010", "country", country));
        return body;
    }

    private static String id(WebTestClient.BodyContentSpec body) {
        return JsonMapper.shared().readTree(body.returnResult().getResponseBodyContent()).path("id").asString();
    }

    private static String id(WebTestClient.ResponseSpec response) {
        return (String) response.expectBody(Map.class).returnResult().getResponseBody().get("id");
    }

    private WebTestClient.ResponseSpec create(Map<String, Object> body) {
        return post("/api/v1/customers", body);
    }

    private WebTestClient.ResponseSpec recheck(String id) {
        return http.post().uri("/api/v1/customers/{id}/vat-check", id).headers(h -> h.setBearerAuth(ownerToken)).exchange();
    }

    private WebTestClient.ResponseSpec quote(String customerId) {
        return post("/api/v1/tax-quotes", Map.of("customerId", customerId, "amounts", List.of("100.00")));
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
