package io.hostrail.api.coupon;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.coupon.model.Redemption;
import io.hostrail.coupon.service.CouponService;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.error.ErrorKind;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Coupons through the API (staff management, the checkout check, validation, isolation, client users), and the
 * redemption bookkeeping billing calls, through the {@link CouponService} bean inside units of work of its own, as the
 * billing code will: caps and per-customer limits under concurrent redemptions, and cycles counted per duration.
 */
@HostrailIntegrationTest
class CouponIT {

    private static final String PASSWORD = "a long and unguessable passphrase";
    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired CouponService couponService;
    @Autowired UnitOfWork unitOfWork;
    @Autowired DatabaseClient database;
    @Autowired Clock clock;

    private String tenant;
    private TenantId tenantId;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
        tenantId = TenantId.of((String) get("/api/v1/auth/me", ownerToken).expectBody(Map.class).returnResult()
                .getResponseBody().get("tenantId"));
    }

    // --- staff ----------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("percent and fixed coupons are created, listed, read, changed under their version and deactivated")
    void lifecycle() {
        String product = product("Starter", "10.00");
        Map<String, Object> percentBody = percent("welcome10", "12.5");
        percentBody.put("duration", "repeating");
        percentBody.put("cycles", 3);
        percentBody.put("maxRedemptions", 100);
        percentBody.put("perCustomerLimit", 1);
        var created = post("/api/v1/coupons", percentBody, ownerToken).expectStatus().isCreated().expectBody(Map.class)
                .returnResult();
        @SuppressWarnings("unchecked")
        Map<String, Object> welcome = created.getResponseBody();
        String welcomeId = (String) welcome.get("id");
        assertThat(created.getResponseHeaders().getLocation()).hasToString("/api/v1/coupons/" + welcomeId);
        assertThat(welcome).containsEntry("code", "WELCOME10").containsEntry("kind", "percent")
                .containsEntry("percent", "12.5").containsEntry("duration", "repeating").containsEntry("cycles", 3)
                .containsEntry("maxRedemptions", 100).containsEntry("perCustomerLimit", 1).containsEntry("redemptions", 0)
                .containsEntry("active", true).containsEntry("version", 0).doesNotContainKey("amounts");

        Map<String, Object> fixedBody = fixed("five-off", List.of(amount("JPY", "500"), amount("EUR", "5.00")));
        fixedBody.put("duration", "forever");
        fixedBody.put("productIds", List.of(product));
        String fiveOff = create(fixedBody);
        get("/api/v1/coupons/" + fiveOff, ownerToken).expectStatus().isOk().expectBody()
                .jsonPath("$.code").isEqualTo("FIVE-OFF").jsonPath("$.kind").isEqualTo("fixed")
                .jsonPath("$.percent").doesNotExist().jsonPath("$.duration").isEqualTo("forever")
                .jsonPath("$.cycles").doesNotExist()
                .jsonPath("$.amounts[0].currency").isEqualTo("EUR").jsonPath("$.amounts[0].amount").isEqualTo("5.00")
                .jsonPath("$.amounts[1].currency").isEqualTo("JPY").jsonPath("$.amounts[1].amount").isEqualTo("500")
                .jsonPath("$.productIds[0]").isEqualTo(product);
        String once = create(percent("ONCE5", "5"));
        get("/api/v1/coupons/" + once, ownerToken).expectBody().jsonPath("$.duration").isEqualTo("once")
                .jsonPath("$.active").isEqualTo(true).jsonPath("$.maxRedemptions").doesNotExist();

        get("/api/v1/coupons", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(3)
                .jsonPath("$.items[0].id").isEqualTo(welcomeId).jsonPath("$.nextCursor").doesNotExist();
        get("/api/v1/coupons?code=Welcome10", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(welcomeId);
        Map<?, ?> firstPage = get("/api/v1/coupons?limit=2", ownerToken).expectBody(Map.class).returnResult()
                .getResponseBody();
        assertThat((List<?>) firstPage.get("items")).hasSize(2);
        get("/api/v1/coupons?limit=2&after=" + firstPage.get("nextCursor"), ownerToken).expectBody()
                .jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(once);

        Map<String, Object> changed = new HashMap<>(percentBody);
        changed.put("description", "Welcome, 12.5 % off three invoices");
        changed.put("maxRedemptions", 50);
        changed.put("version", 0);
        put("/api/v1/coupons/" + welcomeId, changed).expectStatus().isOk().expectBody()
                .jsonPath("$.version").isEqualTo(1).jsonPath("$.maxRedemptions").isEqualTo(50)
                .jsonPath("$.description").isEqualTo("Welcome, 12.5 % off three invoices");
        put("/api/v1/coupons/" + welcomeId, changed).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("version.stale");
        changed.remove("version");
        put("/api/v1/coupons/" + welcomeId, changed).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("coupon.invalid").jsonPath("$.errors[0].field").isEqualTo("version");

        post("/api/v1/coupons/" + welcomeId + "/deactivate", null, ownerToken).expectStatus().isOk().expectBody()
                .jsonPath("$.active").isEqualTo(false).jsonPath("$.version").isEqualTo(2);
        post("/api/v1/coupons/" + welcomeId + "/deactivate", null, ownerToken).expectStatus().isOk().expectBody()
                .jsonPath("$.active").isEqualTo(false).jsonPath("$.version").isEqualTo(2);
        get("/api/v1/coupons?active=false", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(welcomeId);
        get("/api/v1/coupons?active=true", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(2);

        get("/api/v1/audit?targetId=" + welcomeId, ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(3)
                .jsonPath("$.items[0].action").isEqualTo("coupon.deactivated");
        assertThat(events("coupon.created")).isEqualTo(3);
        assertThat(events("coupon.updated")).isEqualTo(1);
        assertThat(events("coupon.deactivated")).isEqualTo(1);
    }

    @Test
    @DisplayName("bad coupons are refused field by field, a taken code is a conflict, and nothing is stored")
    void badInput() {
        refused(percent("BAD1", "0"), "percent");
        refused(percent("BAD1", "100.5"), "percent");
        refused(percent("BAD1", "7.12345"), "percent");
        refused(percent("BAD1", "abc"), "percent");
        refused(fixed("BAD1", List.of(amount("EUR", "-1.00"))), "amounts[0].amount");
        refused(fixed("BAD1", List.of(amount("EUR", "0"))), "amounts[0].amount");
        refused(fixed("BAD1", List.of(amount("EUR", "1.234"))), "amounts[0].amount");
        refused(fixed("BAD1", List.of(amount("JPY", "1.5"))), "amounts[0].amount");
        refused(fixed("BAD1", List.of(amount("XYZ", "1.00"))), "amounts[0].currency");
        refused(fixed("BAD1", List.of(amount("EUR", "1.00"), amount("EUR", "2.00"))), "amounts[1].currency");
        refused(fixed("BAD1", List.of()), "amounts");
        Map<String, Object> both = percent("BAD1", "10");
        both.put("amounts", List.of(amount("EUR", "1.00")));
        refused(both, "amounts");
        Map<String, Object> noCycles = percent("BAD1", "10");
        noCycles.put("duration", "repeating");
        refused(noCycles, "cycles");
        noCycles.put("cycles", 0);
        refused(noCycles, "cycles");
        noCycles.put("cycles", 121);
        refused(noCycles, "cycles");
        Map<String, Object> onceWithCycles = percent("BAD1", "10");
        onceWithCycles.put("cycles", 2);
        refused(onceWithCycles, "cycles");
        Map<String, Object> backwards = percent("BAD1", "10");
        backwards.put("validFrom", "2026-06-01T00:00:00Z");
        backwards.put("expiresAt", "2026-05-01T00:00:00Z");
        refused(backwards, "expiresAt");
        refused(percent("a!", "10"), "code");
        Map<String, Object> unknownKind = percent("BAD1", "10");
        unknownKind.put("kind", "bogus");
        refused(unknownKind, "kind");
        Map<String, Object> limits = percent("BAD1", "10");
        limits.put("maxRedemptions", 0);
        limits.put("perCustomerLimit", -1);
        refused(limits, "maxRedemptions", "perCustomerLimit");
        Map<String, Object> unknownProduct = percent("BAD1", "10");
        unknownProduct.put("productIds", List.of(UUID.randomUUID().toString()));
        refused(unknownProduct, "productIds[0]");
        Map<String, Object> everything = percent("BAD1", "0");
        everything.put("duration", "repeating");
        everything.put("cycles", 0);
        refused(everything, "percent", "cycles");
        http.post().uri("/api/v1/coupons").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"code\": \"BAD1\", \"kind\": ").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        get("/api/v1/coupons", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(0);
        assertThat(events("coupon.created")).isZero();

        String taken = create(percent("SPRING", "10"));
        String other = create(percent("SUMMER", "10"));
        post("/api/v1/coupons", percent("spring", "20"), ownerToken).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("coupon.code_taken").jsonPath("$.errors[0].field").isEqualTo("code");
        Map<String, Object> renamed = percent("Spring", "10");
        renamed.put("version", 0);
        put("/api/v1/coupons/" + other, renamed).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.code").isEqualTo("coupon.code_taken");
        get("/api/v1/coupons", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(2);
        get("/api/v1/coupons/" + taken, ownerToken).expectBody().jsonPath("$.percent").isEqualTo("10");
        get("/api/v1/coupons/" + other, ownerToken).expectBody().jsonPath("$.code").isEqualTo("SUMMER")
                .jsonPath("$.version").isEqualTo(0);
    }

    @Test
    @DisplayName("another tenant's coupons are not found, by id or by code, and stay as they were")
    void otherTenantsCoupons() {
        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        String theirs = (String) post("/api/v1/coupons", percent("THEIRS", "50"), otherToken).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        get("/api/v1/coupons/" + theirs, ownerToken).expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("coupon.not_found");
        Map<String, Object> takeover = percent("THEIRS", "100");
        takeover.put("version", 0);
        put("/api/v1/coupons/" + theirs, takeover).expectStatus().isNotFound();
        post("/api/v1/coupons/" + theirs + "/deactivate", null, ownerToken).expectStatus().isNotFound();
        get("/api/v1/coupons/" + theirs + "/redemptions", ownerToken).expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("coupon.not_found");
        post("/api/v1/coupons/validate", check("THEIRS", null, List.of(UUID.randomUUID().toString()), "EUR"), ownerToken)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("coupon.not_found");
        get("/api/v1/coupons", ownerToken).expectBody().jsonPath("$.items.length()").isEqualTo(0);
        get("/api/v1/coupons/" + theirs, otherToken).expectStatus().isOk().expectBody()
                .jsonPath("$.percent").isEqualTo("50").jsonPath("$.active").isEqualTo(true).jsonPath("$.version").isEqualTo(0);
    }

    // --- checkout -------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("a valid code shows the discount on the lines: percent half-even per line, fixed capped and shared")
    void validateWorksOutTheDiscount() {
        String starter = product("Starter", "10.00");
        String domain = product("Domain", "12.00");
        String customer = customer("EUR");
        create(percent("SAVE10", "10"));
        Map<String, Object> body = check("save10", customer, List.of(), "EUR");
        body.put("lines", List.of(line(starter, "19.99"), line(domain, "0.05"), line(domain, "0.15")));
        post("/api/v1/coupons/validate", body, ownerToken).expectStatus().isOk().expectBody()
                .jsonPath("$.code").isEqualTo("SAVE10").jsonPath("$.kind").isEqualTo("percent")
                .jsonPath("$.percent").isEqualTo("10").jsonPath("$.currency").isEqualTo("EUR")
                .jsonPath("$.discount.lines[0].discount").isEqualTo("2.00")
                .jsonPath("$.discount.lines[1].discount").isEqualTo("0.00")
                .jsonPath("$.discount.lines[2].discount").isEqualTo("0.02")
                .jsonPath("$.discount.total").isEqualTo("2.02");

        Map<String, Object> fiveOff = fixed("FIVE", List.of(amount("EUR", "5.00"), amount("USD", "6.00")));
        fiveOff.put("productIds", List.of(starter));
        create(fiveOff);
        body = check("five", customer, List.of(), "EUR");
        body.put("lines", List.of(line(starter, "6.00"), line(starter, "4.00"), line(domain, "50.00")));
        post("/api/v1/coupons/validate", body, ownerToken).expectStatus().isOk().expectBody()
                .jsonPath("$.amount").isEqualTo("5.00").jsonPath("$.productIds[0]").isEqualTo(starter)
                .jsonPath("$.discount.lines[0].discount").isEqualTo("3.00")
                .jsonPath("$.discount.lines[1].discount").isEqualTo("2.00")
                .jsonPath("$.discount.lines[2].discount").isEqualTo("0.00")
                .jsonPath("$.discount.total").isEqualTo("5.00");
        body.put("lines", List.of(line(starter, "3.00"), line(domain, "50.00")));
        post("/api/v1/coupons/validate", body, ownerToken).expectStatus().isOk().expectBody()
                .jsonPath("$.discount.total").isEqualTo("3.00");
        post("/api/v1/coupons/validate", check("FIVE", null, List.of(starter), "USD"), ownerToken).expectStatus().isOk()
                .expectBody().jsonPath("$.amount").isEqualTo("6.00").jsonPath("$.discount").doesNotExist();

        refusedCheck(check("save10", customer, List.of(starter), "XYZ"), "currency");
        refusedCheck(check("save10", customer, List.of(), "EUR"), "productIds");
        Map<String, Object> badLine = check("save10", customer, List.of(), "EUR");
        badLine.put("lines", List.of(line(starter, "1.234"), line(domain, "-1.00")));
        refusedCheck(badLine, "lines[0].amount", "lines[1].amount");
        post("/api/v1/coupons/validate", check("save10", UUID.randomUUID().toString(), List.of(starter), "EUR"), ownerToken)
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("customer.not_found");
        get("/api/v1/coupons?code=SAVE10", ownerToken).expectBody().jsonPath("$.items[0].redemptions").isEqualTo(0);
        assertThat(events("coupon.redeemed")).isZero();
    }

    @Test
    @DisplayName("every refusal has its own code, an unknown code is a field error, and checking changes nothing")
    void validateRefusals() {
        String starter = product("Starter", "10.00");
        String domain = product("Domain", "12.00");
        String acme = customer("EUR");
        String beta = customer("EUR");
        Instant now = clock.instant();

        Map<String, Object> inactive = percent("SLEEPY", "10");
        inactive.put("active", false);
        create(inactive);
        Map<String, Object> future = percent("LATER", "10");
        future.put("validFrom", now.plus(Duration.ofDays(10)).toString());
        create(future);
        Map<String, Object> past = percent("BYGONE", "10");
        past.put("validFrom", now.minus(Duration.ofDays(20)).toString());
        past.put("expiresAt", now.minus(Duration.ofDays(10)).toString());
        create(past);
        Map<String, Object> single = percent("SINGLE", "10");
        single.put("maxRedemptions", 1);
        create(single);
        Map<String, Object> oncePerCustomer = percent("ONEEACH", "10");
        oncePerCustomer.put("perCustomerLimit", 1);
        create(oncePerCustomer);
        create(fixed("EUROS", List.of(amount("EUR", "5.00"))));
        Map<String, Object> domainsOnly = percent("DOMAINS", "10");
        domainsOnly.put("productIds", List.of(domain));
        create(domainsOnly);
        redeem("single", UUID.fromString(acme), Set.of(UUID.fromString(starter)), null);
        redeem("ONEEACH", UUID.fromString(acme), Set.of(UUID.fromString(starter)), null);

        rejected(check("sleepy", beta, List.of(starter), "EUR"), "coupon.inactive");
        rejected(check("LATER", beta, List.of(starter), "EUR"), "coupon.not_yet_valid");
        rejected(check("bygone", beta, List.of(starter), "EUR"), "coupon.expired");
        rejected(check("SINGLE", beta, List.of(starter), "EUR"), "coupon.exhausted");
        rejected(check("oneeach", acme, List.of(starter), "EUR"), "coupon.customer_limit_reached");
        post("/api/v1/coupons/validate", check("oneeach", beta, List.of(starter), "EUR"), ownerToken).expectStatus().isOk();
        rejected(check("euros", beta, List.of(starter), "USD"), "coupon.currency_not_supported");
        post("/api/v1/coupons/validate", check("euros", beta, List.of(starter), "EUR"), ownerToken).expectStatus().isOk();
        rejected(check("domains", beta, List.of(starter), "EUR"), "coupon.not_applicable");
        post("/api/v1/coupons/validate", check("domains", beta, List.of(starter, domain), "EUR"), ownerToken)
                .expectStatus().isOk();
        for (String unknown : List.of("NOPE42", "x", "no such code!")) {
            post("/api/v1/coupons/validate", check(unknown, beta, List.of(starter), "EUR"), ownerToken)
                    .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("coupon.not_found")
                    .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/coupon.not_found")
                    .jsonPath("$.errors[0].field").isEqualTo("code");
        }

        get("/api/v1/coupons?limit=200", ownerToken).expectBody()
                .jsonPath("$.items[?(@.code == 'ONEEACH')].redemptions").isEqualTo(List.of(1))
                .jsonPath("$.items[?(@.code == 'EUROS')].redemptions").isEqualTo(List.of(0))
                .jsonPath("$.items[?(@.code == 'DOMAINS')].redemptions").isEqualTo(List.of(0));
        assertThat(events("coupon.redeemed")).isEqualTo(2);
    }

    @Test
    @DisplayName("a client user checks codes for its own customer only, and cannot manage coupons")
    void clientUsers() {
        String starter = product("Starter", "10.00");
        String acme = customer("EUR");
        String beta = customer("EUR");
        http.post().uri("/api/v1/customers/{id}/users", acme).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "jana@acme.example", "password", PASSWORD)).exchange().expectStatus().isCreated();
        String client = (String) login(http, tenant, "jana@acme.example", PASSWORD).get("accessToken");
        Map<String, Object> oncePerCustomer = percent("ONEEACH", "10");
        oncePerCustomer.put("perCustomerLimit", 1);
        String couponId = create(oncePerCustomer);

        post("/api/v1/coupons/validate", check("oneeach", null, List.of(starter), "EUR"), client).expectStatus().isOk()
                .expectBody().jsonPath("$.code").isEqualTo("ONEEACH").jsonPath("$.redemptions").doesNotExist();
        post("/api/v1/coupons/validate", check("oneeach", acme, List.of(starter), "EUR"), client).expectStatus().isOk();
        post("/api/v1/coupons/validate", check("oneeach", beta, List.of(starter), "EUR"), client).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("customer.not_found");
        redeem("ONEEACH", UUID.fromString(acme), Set.of(UUID.fromString(starter)), null);
        post("/api/v1/coupons/validate", check("oneeach", null, List.of(starter), "EUR"), client)
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.code").isEqualTo("coupon.customer_limit_reached");
        post("/api/v1/coupons/validate", check("oneeach", beta, List.of(starter), "EUR"), ownerToken).expectStatus().isOk();

        get("/api/v1/coupons", client).expectStatus().isForbidden();
        get("/api/v1/coupons/" + couponId, client).expectStatus().isForbidden();
        get("/api/v1/coupons/" + couponId + "/redemptions", client).expectStatus().isForbidden();
        post("/api/v1/coupons", percent("MINE", "100"), client).expectStatus().isForbidden();
        post("/api/v1/coupons/" + couponId + "/deactivate", null, client).expectStatus().isForbidden();
        get("/api/v1/coupons/" + couponId, ownerToken).expectBody().jsonPath("$.active").isEqualTo(true);
    }

    // --- redemptions, as billing calls them ----------------------------------------------------------------------

    @Test
    @DisplayName("a redeemed coupon keeps its terms, and its redemptions are listed page by page")
    void redeemedCouponsKeepTheirTerms() {
        String starter = product("Starter", "10.00");
        String acme = customer("EUR");
        String beta = customer("EUR");
        Map<String, Object> body = percent("LOYAL", "15");
        body.put("duration", "forever");
        String couponId = create(body);
        Redemption first = redeem("loyal", UUID.fromString(acme), Set.of(UUID.fromString(starter)), null);
        redeem("LOYAL", UUID.fromString(beta), Set.of(UUID.fromString(starter)), null);
        assertThat(first.coupon().redemptions()).isEqualTo(1);

        Map<?, ?> page = get("/api/v1/coupons/" + couponId + "/redemptions?limit=1", ownerToken).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) page.get("items")).singleElement().satisfies(item -> assertThat(item)
                .asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
                .containsEntry("id", first.id().toString()).containsEntry("customerId", acme)
                .containsEntry("cyclesDiscounted", 0).doesNotContainKey("subscriptionId"));
        get("/api/v1/coupons/" + couponId + "/redemptions?limit=1&after=" + page.get("nextCursor"), ownerToken)
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].customerId").isEqualTo(beta);

        Map<String, Object> cheaper = new HashMap<>(body);
        cheaper.put("percent", "50");
        cheaper.put("version", 0);
        put("/api/v1/coupons/" + couponId, cheaper).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.code").isEqualTo("coupon.terms_locked");
        Map<String, Object> restricted = new HashMap<>(body);
        restricted.put("productIds", List.of(starter));
        restricted.put("version", 0);
        put("/api/v1/coupons/" + couponId, restricted).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        Map<String, Object> renamed = new HashMap<>(body);
        renamed.put("code", "LOYAL-2026");
        renamed.put("description", "Loyalty discount");
        renamed.put("maxRedemptions", 2);
        renamed.put("percent", "15.0000");
        renamed.put("version", 0);
        put("/api/v1/coupons/" + couponId, renamed).expectStatus().isOk().expectBody()
                .jsonPath("$.code").isEqualTo("LOYAL-2026").jsonPath("$.redemptions").isEqualTo(2)
                .jsonPath("$.percent").isEqualTo("15").jsonPath("$.version").isEqualTo(1);
        rejected(check("loyal-2026", customer("EUR"), List.of(starter), "EUR"), "coupon.exhausted");
    }

    @Test
    @DisplayName("20 concurrent redemptions of a coupon capped at 7: exactly 7 succeed, the rest are refused as exhausted")
    void capHoldsUnderConcurrency() {
        UUID starter = UUID.fromString(product("Starter", "10.00"));
        List<UUID> customers = IntStream.range(0, 5).mapToObj(i -> UUID.fromString(customer("EUR"))).toList();
        Map<String, Object> body = percent("RUSH", "20");
        body.put("maxRedemptions", 7);
        String couponId = create(body);

        List<String> outcomes = Flux.range(0, 20)
                .flatMap(i -> outcome(() -> couponService.redeemInTransaction(tenantId, customers.get(i % 5), "rush",
                        Set.of(starter), EUR, clock.instant(), null)), 20)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(outcomes).filteredOn("ok"::equals).hasSize(7);
        assertThat(outcomes).filteredOn("coupon.exhausted"::equals).hasSize(13);
        get("/api/v1/coupons/" + couponId, ownerToken).expectBody().jsonPath("$.redemptions").isEqualTo(7);
        get("/api/v1/coupons/" + couponId + "/redemptions?limit=200", ownerToken).expectBody()
                .jsonPath("$.items.length()").isEqualTo(7);
        assertThat(events("coupon.redeemed")).isEqualTo(7);
    }

    @Test
    @DisplayName("10 concurrent redemptions by one customer of a coupon allowed twice each: exactly 2 succeed")
    void perCustomerLimitHoldsUnderConcurrency() {
        UUID starter = UUID.fromString(product("Starter", "10.00"));
        UUID acme = UUID.fromString(customer("EUR"));
        UUID beta = UUID.fromString(customer("EUR"));
        Map<String, Object> body = percent("TWICE", "20");
        body.put("perCustomerLimit", 2);
        String couponId = create(body);

        List<String> outcomes = Flux.range(0, 10)
                .flatMap(i -> outcome(() -> couponService.redeemInTransaction(tenantId, acme, "TWICE", Set.of(starter), EUR,
                        clock.instant(), null)), 10)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(outcomes).filteredOn("ok"::equals).hasSize(2);
        assertThat(outcomes).filteredOn("coupon.customer_limit_reached"::equals).hasSize(8);
        assertThat(outcome(() -> couponService.redeemInTransaction(tenantId, beta, "twice", Set.of(starter), EUR,
                clock.instant(), null)).block(Duration.ofSeconds(30))).isEqualTo("ok");
        get("/api/v1/coupons/" + couponId, ownerToken).expectBody().jsonPath("$.redemptions").isEqualTo(3);
    }

    @Test
    @DisplayName("cycles are counted per subscription: once discounts one invoice, repeating its cycles, forever every one")
    void cyclesPerDuration() {
        String product = product("Starter", "10.00");
        String customer = customer("EUR");
        Map<String, Object> onceBody = percent("FIRST", "50");
        Map<String, Object> repeatingBody = percent("THREE", "20");
        repeatingBody.put("duration", "repeating");
        repeatingBody.put("cycles", 3);
        Map<String, Object> foreverBody = percent("ALWAYS", "5");
        foreverBody.put("duration", "forever");
        create(onceBody);
        create(repeatingBody);
        String always = create(foreverBody);
        Map<?, ?> first = order(customer, product);
        Map<?, ?> second = order(customer, product);
        Map<?, ?> third = order(customer, product);
        UUID plain = subscriptionId(order(customer, product));

        UUID onceSubscription = subscriptionId(first);
        Redemption once = redeem("first", UUID.fromString(customer), Set.of(UUID.fromString(product)), onceSubscription);
        assertThat(once.subscriptionId()).isEqualTo(onceSubscription);
        assertThat(discountedCycles(onceSubscription, UUID.fromString((String) first.get("invoiceId")))).isEqualTo(1);
        Redemption three = redeem("THREE", UUID.fromString(customer), Set.of(UUID.fromString(product)),
                subscriptionId(second));
        assertThat(discountedCycles(subscriptionId(second), null)).isEqualTo(3);
        Redemption forever = redeem("always", UUID.fromString(customer), Set.of(UUID.fromString(product)),
                subscriptionId(third));
        for (int cycle = 0; cycle < 6; cycle++) {
            Optional<Redemption> applies = inTransaction(() -> couponService.discountForCycleInTransaction(tenantId,
                    subscriptionId(third)));
            assertThat(applies).get().extracting(Redemption::cyclesDiscounted).isEqualTo(cycle);
            inTransaction(() -> couponService.markCycleDiscounted(tenantId, forever.id()).thenReturn(true));
        }
        // Deactivating stops new redemptions only: what the subscription was promised still holds.
        post("/api/v1/coupons/" + always + "/deactivate", null, ownerToken).expectStatus().isOk();
        assertThat(inTransaction(() -> couponService.discountForCycleInTransaction(tenantId, subscriptionId(third))))
                .get().extracting(r -> r.coupon().active()).isEqualTo(false);
        assertThat(inTransaction(() -> couponService.discountForCycleInTransaction(tenantId, plain))).isEmpty();

        assertThat(failure(() -> couponService.markCycleDiscounted(tenantId, once.id()).thenReturn(true)).code().value())
                .isEqualTo("coupon_redemption.no_cycle_left");
        assertThat(failure(() -> couponService.markCycleDiscounted(tenantId, three.id()).thenReturn(true)).code().value())
                .isEqualTo("coupon_redemption.no_cycle_left");
        UUID never = UUID.randomUUID();
        assertThat(failure(() -> couponService.markCycleDiscounted(tenantId, never).thenReturn(true)).code().value())
                .isEqualTo("coupon_redemption.not_found");
        DomainException twice = failure(() -> couponService.redeemInTransaction(tenantId, UUID.fromString(customer),
                "always", Set.of(UUID.fromString(product)), EUR, clock.instant(), onceSubscription));
        assertThat(twice.code()).isEqualTo(CouponService.SUBSCRIPTION_HAS_COUPON);

        String onceCoupon = (String) ((Map<?, ?>) ((List<?>) get("/api/v1/coupons?code=FIRST", ownerToken)
                .expectBody(Map.class).returnResult().getResponseBody().get("items")).getFirst()).get("id");
        get("/api/v1/coupons/" + onceCoupon + "/redemptions", ownerToken).expectBody()
                .jsonPath("$.items[0].subscriptionId").isEqualTo(onceSubscription.toString())
                .jsonPath("$.items[0].invoiceId").isEqualTo(first.get("invoiceId"))
                .jsonPath("$.items[0].cyclesDiscounted").isEqualTo(1);
    }

    @Test
    @DisplayName("billing sees refusals and unknown codes as domain errors, and a rolled-back order redeems nothing")
    void billingErrorsAndRollback() {
        UUID starter = UUID.fromString(product("Starter", "10.00"));
        UUID acme = UUID.fromString(customer("EUR"));
        Map<String, Object> past = percent("BYGONE", "10");
        past.put("validFrom", clock.instant().minus(Duration.ofDays(20)).toString());
        past.put("expiresAt", clock.instant().minus(Duration.ofDays(10)).toString());
        create(past);
        String couponId = create(percent("ROLLBACK", "10"));

        DomainException unknown = failure(() -> couponService.redeemInTransaction(tenantId, acme, "nope42", Set.of(starter),
                EUR, clock.instant(), null));
        assertThat(unknown.code().value()).isEqualTo("coupon.not_found");
        assertThat(unknown.code().kind()).isEqualTo(ErrorKind.VALIDATION);
        assertThat(unknown.violations()).extracting(FieldViolation::field).containsExactly("couponCode");
        DomainException expired = failure(() -> couponService.redeemInTransaction(tenantId, acme, "bygone", Set.of(starter),
                EUR, clock.instant(), null));
        assertThat(expired.code().value()).isEqualTo("coupon.expired");
        assertThat(expired.code().kind()).isEqualTo(ErrorKind.REJECTED);
        assertThat(expired.violations()).extracting(FieldViolation::field).containsExactly("couponCode");
        // Redeemed in the past, while it was valid: billing passes the order's own time.
        assertThat(outcome(() -> couponService.redeemInTransaction(tenantId, acme, "bygone", Set.of(starter), EUR,
                clock.instant().minus(Duration.ofDays(15)), null)).block(Duration.ofSeconds(30))).isEqualTo("ok");

        assertThatThrownBy(() -> inTransaction(() -> couponService.redeemInTransaction(tenantId, acme, "rollback",
                        Set.of(starter), EUR, clock.instant(), null)
                .then(Mono.error(new IllegalStateException("the order failed after the coupon was redeemed")))))
                .hasMessageContaining("the order failed");
        get("/api/v1/coupons/" + couponId, ownerToken).expectBody().jsonPath("$.redemptions").isEqualTo(0);
        get("/api/v1/coupons/" + couponId + "/redemptions", ownerToken).expectBody().jsonPath("$.items.length()")
                .isEqualTo(0);
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private int discountedCycles(UUID subscription, UUID firstInvoice) {
        int cycles = 0;
        Optional<Redemption> applies;
        while ((applies = inTransaction(() -> couponService.discountForCycleInTransaction(tenantId, subscription)))
                .isPresent()) {
            assertThat(applies.get().cyclesDiscounted()).isEqualTo(cycles);
            UUID redemption = applies.get().id();
            inTransaction(() -> couponService.markCycleDiscounted(tenantId, redemption, firstInvoice).thenReturn(true));
            cycles++;
            assertThat(cycles).as("cycles discounted").isLessThan(50);
        }
        return cycles;
    }

    private Redemption redeem(String code, UUID customer, Set<UUID> products, UUID subscription) {
        return inTransaction(() -> couponService.redeemInTransaction(tenantId, customer, code, products, EUR,
                clock.instant(), subscription));
    }

    /** The work in a unit of work of its own for the test's tenant, as the billing code runs it. */
    private <T> T inTransaction(Supplier<Mono<T>> work) {
        return TenantContext.within(tenantId, unitOfWork.inTransaction(work)).block(Duration.ofSeconds(30));
    }

    /** "ok", or the code of the domain error the work failed with. */
    private Mono<String> outcome(Supplier<Mono<?>> work) {
        return TenantContext.within(tenantId, unitOfWork.inTransaction(() -> work.get().thenReturn("ok")))
                .onErrorResume(DomainException.class, e -> Mono.just(e.code().value()));
    }

    private DomainException failure(Supplier<Mono<?>> work) {
        List<DomainException> failures = new ArrayList<>();
        TenantContext.within(tenantId, unitOfWork.inTransaction(() -> work.get().then()))
                .onErrorResume(DomainException.class, e -> {
                    failures.add(e);
                    return Mono.empty();
                })
                .block(Duration.ofSeconds(30));
        assertThat(failures).as("the work failed with a domain error").hasSize(1);
        return failures.getFirst();
    }

    private long events(String type) {
        return database.sql("SELECT count(*) AS n FROM outbox WHERE event_type = :type AND tenant_id = :tenant")
                .bind("type", type).bind("tenant", tenantId.value())
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
    }

    private void refused(Map<String, Object> body, String... fields) {
        post("/api/v1/coupons", body, ownerToken).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> {
                    assertThat(problem.get("code")).as("for %s", body).isEqualTo("coupon.invalid");
                    assertThat(fields(problem)).as("for %s", body).contains(fields);
                });
    }

    private void refusedCheck(Map<String, Object> body, String... fields) {
        post("/api/v1/coupons/validate", body, ownerToken).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> {
                    assertThat(problem.get("code")).as("for %s", body).isEqualTo("coupon_check.invalid");
                    assertThat(fields(problem)).as("for %s", body).contains(fields);
                });
    }

    private void rejected(Map<String, Object> body, String code) {
        post("/api/v1/coupons/validate", body, ownerToken).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo(code)
                .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/" + code)
                .jsonPath("$.errors[0].field").isEqualTo("code");
    }

    private static List<String> fields(Map<?, ?> problem) {
        return ((List<?>) problem.get("errors")).stream().map(error -> String.valueOf(((Map<?, ?>) error).get("field")))
                .toList();
    }

    private static Map<String, Object> percent(String code, String percent) {
        Map<String, Object> body = new HashMap<>();
        body.put("code", code);
        body.put("kind", "percent");
        body.put("percent", percent);
        return body;
    }

    private static Map<String, Object> fixed(String code, List<Map<String, Object>> amounts) {
        Map<String, Object> body = new HashMap<>();
        body.put("code", code);
        body.put("kind", "fixed");
        body.put("amounts", amounts);
        return body;
    }

    private static Map<String, Object> amount(String currency, String amount) {
        return Map.of("currency", currency, "amount", amount);
    }

    private static Map<String, Object> check(String code, String customerId, List<String> productIds, String currency) {
        Map<String, Object> body = new HashMap<>();
        body.put("code", code);
        if (customerId != null) {
            body.put("customerId", customerId);
        }
        body.put("productIds", productIds);
        body.put("currency", currency);
        return body;
    }

    private static Map<String, Object> line(String productId, String amount) {
        return Map.of("productId", productId, "amount", amount);
    }

    private String create(Map<String, Object> body) {
        return (String) post("/api/v1/coupons", body, ownerToken).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("id");
    }

    private String product(String name, String monthly) {
        Map<String, Object> body = new HashMap<>(Map.of("kind", "service", "name", name,
                "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", monthly))));
        return (String) post("/api/v1/products", body, ownerToken).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("id");
    }

    private String customer(String currency) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Customer " + UUID.randomUUID());
        body.put("email", "accounts@" + UUID.randomUUID() + ".example");
        body.put("currency", currency);
        return (String) post("/api/v1/customers", body, ownerToken).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("id");
    }

    private Map<?, ?> order(String customer, String product) {
        return post("/api/v1/subscriptions", Map.of("customerId", customer, "productId", product, "cycle", "monthly"),
                ownerToken).expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static UUID subscriptionId(Map<?, ?> ordered) {
        return UUID.fromString((String) ((Map<?, ?>) ordered.get("subscription")).get("id"));
    }

    private WebTestClient.ResponseSpec post(String uri, Object body, String token) {
        var request = http.post().uri(uri).headers(h -> h.setBearerAuth(token));
        return (body == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body)).exchange();
    }

    private WebTestClient.ResponseSpec put(String uri, Object body) {
        return http.put().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String uri, String token) {
        return http.get().uri(uri).headers(h -> h.setBearerAuth(token)).exchange();
    }
}
