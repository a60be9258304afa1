package io.hostrail.api.subscription;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.TenantSession;
import io.hostrail.identity.service.TenantBootstrap;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Subscriptions through the API: ordering, activation on payment, the lifecycle and plan-change previews. */
@HostrailIntegrationTest
class SubscriptionIT {

    private static final String PASSWORD = TenantSession.PASSWORD;

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private TenantSession session;
    private String tenant;

    @BeforeEach
    void freshTenant() {
        session = TenantSession.fresh(http, bootstrap, database);
        tenant = session.tenant();
    }

    @Test
    @DisplayName("an order is pending with its first invoice, and starts when that invoice is paid")
    void orderThenPay() {
        Map<String, Object> product = product("Pro hosting", "20.00", "5.00", true);
        String productId = (String) product.get("id");
        String optionId = (String) ((Map<?, ?>) ((List<?>) product.get("options")).getFirst()).get("id");
        String acme = customer();
        Map<String, Object> ordered = post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", productId,
                "cycle", "monthly", "quantity", 2, "options", List.of(Map.of("optionId", optionId, "quantity", 3))))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> subscription = (Map<?, ?>) ordered.get("subscription");
        String id = (String) subscription.get("id");
        assertThat(subscription.get("status")).isEqualTo("pending");
        assertThat(ordered.get("invoiceStatus")).isEqualTo("open");
        String invoice = (String) ordered.get("invoiceId");
        // 2 × 20.00 + 3 × 1.50 (extra disk) + 5.00 setup = 49.50, no tax rules.
        get("/api/v1/invoices/" + invoice).expectBody()
                .jsonPath("$.total").isEqualTo("49.50")
                .jsonPath("$.lines.length()").isEqualTo(3)
                .jsonPath("$.lines[0].quantity").isEqualTo(2)
                .jsonPath("$.lines[0].subscriptionId").isEqualTo(id)
                .jsonPath("$.lines[0].periodStart").exists()
                .jsonPath("$.lines[1].description").isEqualTo("Setup: Pro hosting")
                .jsonPath("$.lines[2].total").isEqualTo("4.50");
        get("/api/v1/subscriptions/" + id + "/periods").expectBody()
                .jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].invoiceId").isEqualTo(invoice)
                .jsonPath("$[0].kind").isEqualTo("first");

        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "49.50", "reason", "Paid by bank transfer"))
                .expectStatus().isCreated();
        post("/api/v1/invoices/" + invoice + "/apply-credit", null).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("paid");
        // invoice.paid travels through the outbox and Kafka to the consumer that starts the subscription.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get("/api/v1/subscriptions/" + id)
                .expectBody().jsonPath("$.status").isEqualTo("active"));
        Map<?, ?> active = get("/api/v1/subscriptions/" + id).expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> period = (Map<?, ?>) active.get("currentPeriod");
        assertThat(active.get("anchor")).isEqualTo(period.get("start"));
        assertThat(active.get("nextDueDate")).isEqualTo(period.get("end"));
        Instant start = Instant.parse((String) period.get("start"));
        assertThat(Instant.parse((String) period.get("end")))
                .isEqualTo(start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant());
        assertThat(events(id)).containsExactly("subscription.created", "subscription.activated");
    }

    @Test
    @DisplayName("credit that covers the first invoice starts the subscription at once; a trial starts it unbilled")
    void paidAtOnceAndTrials() {
        String productId = (String) product("Starter", "10.00", null, false).get("id");
        String acme = customer();
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "100.00", "reason", "Prepaid"))
                .expectStatus().isCreated();
        post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", productId, "cycle", "monthly"))
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.subscription.status").isEqualTo("active")
                .jsonPath("$.invoiceStatus").isEqualTo("paid");
        Map<?, ?> trial = post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", productId,
                "cycle", "monthly", "trialDays", 14)).expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
        Map<?, ?> subscription = (Map<?, ?>) trial.get("subscription");
        assertThat(trial.containsKey("invoiceId")).isFalse();
        assertThat(subscription.get("status")).isEqualTo("active");
        Instant trialEnd = Instant.parse((String) subscription.get("trialEnd"));
        assertThat(Instant.parse((String) subscription.get("createdAt")).plus(Duration.ofDays(14))).isEqualTo(trialEnd);
        assertThat(subscription.get("nextDueDate")).isEqualTo(subscription.get("trialEnd"));
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("90.00");
    }

    @Test
    @DisplayName("suspend, unsuspend, cancel at period end or now, terminate: allowed moves only, each one an event")
    void lifecycle() {
        String productId = (String) product("Starter", "10.00", null, false).get("id");
        String acme = customer();
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "10.00", "reason", "x")).expectStatus().isCreated();
        String id = order(acme, productId);
        post("/api/v1/subscriptions/" + id + "/suspend", Map.of("reason", "Abuse report")).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("suspended").jsonPath("$.suspendedAt").exists();
        post("/api/v1/subscriptions/" + id + "/suspend", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("subscription.state_conflict");
        post("/api/v1/subscriptions/" + id + "/unsuspend", null).expectBody().jsonPath("$.status").isEqualTo("active");
        post("/api/v1/subscriptions/" + id + "/cancel", null).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("active").jsonPath("$.cancelAtPeriodEnd").isEqualTo(true)
                .jsonPath("$.nextDueDate").doesNotExist();
        post("/api/v1/subscriptions/" + id + "/withdraw-cancellation", null).expectBody()
                .jsonPath("$.cancelAtPeriodEnd").isEqualTo(false).jsonPath("$.nextDueDate").exists();
        post("/api/v1/subscriptions/" + id + "/cancel", Map.of("atPeriodEnd", false, "reason", "Moving away"))
                .expectBody().jsonPath("$.status").isEqualTo("cancelled").jsonPath("$.cancelledAt").exists();
        post("/api/v1/subscriptions/" + id + "/unsuspend", null).expectStatus().isEqualTo(409);
        post("/api/v1/subscriptions/" + id + "/terminate", null).expectBody().jsonPath("$.status").isEqualTo("terminated");
        post("/api/v1/subscriptions/" + id + "/cancel", null).expectStatus().isEqualTo(409);
        assertThat(events(id)).containsExactly("subscription.created", "subscription.activated",
                "subscription.suspended", "subscription.unsuspended", "subscription.cancellation_scheduled",
                "subscription.cancellation_withdrawn", "subscription.cancelled", "subscription.terminated");
        get("/api/v1/audit?targetId=" + id).expectBody().jsonPath("$.items.length()").isEqualTo(8);
    }

    @Test
    @DisplayName("a plan-change preview shows the credit for unused time and the new plan's charge, and changes nothing")
    void changePreview() {
        String starter = (String) product("Starter", "10.00", null, false).get("id");
        String pro = (String) product("Pro", "20.00", null, false).get("id");
        String acme = customer();
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "10.00", "reason", "x")).expectStatus().isCreated();
        String id = order(acme, starter);
        Map<?, ?> before = get("/api/v1/subscriptions/" + id).expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> preview = post("/api/v1/subscriptions/" + id + "/change-preview", Map.of("productId", pro))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<?> lines = (List<?>) preview.get("lines");
        BigDecimal credit = new BigDecimal((String) ((Map<?, ?>) lines.get(0)).get("amount"));
        BigDecimal charge = new BigDecimal((String) ((Map<?, ?>) lines.get(1)).get("amount"));
        // Ordered just now: nearly the whole month is unused, and the new plan costs twice as much for the same days.
        Map<?, ?> period = (Map<?, ?>) before.get("currentPeriod");
        long days = ChronoUnit.DAYS.between(Instant.parse((String) period.get("start")).atZone(ZoneOffset.UTC).toLocalDate(),
                Instant.parse((String) period.get("end")).atZone(ZoneOffset.UTC).toLocalDate());
        assertThat(((Number) preview.get("totalUnits")).longValue()).isEqualTo(days);
        assertThat(credit).isNegative().isGreaterThanOrEqualTo(new BigDecimal("-10.00"));
        assertThat(charge.subtract(credit.negate().multiply(BigDecimal.TWO)).abs()).isLessThanOrEqualTo(new BigDecimal("0.01"));
        assertThat(new BigDecimal((String) preview.get("net"))).isEqualTo(charge.add(credit));
        assertThat(preview.get("granularity")).isEqualTo("day");
        assertThat(((Map<?, ?>) preview.get("after")).get("productId")).isEqualTo(pro);
        get("/api/v1/subscriptions/" + id).expectBody().jsonPath("$.productId").isEqualTo(starter)
                .jsonPath("$.version").isEqualTo(before.get("version"));

        // To the second, and a new cycle charges a whole new period from now.
        put("/api/v1/settings/billing", Map.of("prorationGranularity", "second", "version", 0)).expectStatus().isOk();
        post("/api/v1/subscriptions/" + id + "/change-preview", Map.of("productId", pro, "cycle", "annual"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("cycle");
        post("/api/v1/subscriptions/" + id + "/change-preview", Map.of("quantity", 2)).expectStatus().isOk()
                .expectBody().jsonPath("$.granularity").isEqualTo("second")
                .jsonPath("$.totalUnits").isEqualTo(days * 86_400);
    }

    @Test
    @DisplayName("an upgrade credits the unused time on the paid invoice and charges the new plan, paid with that credit")
    void upgradeAndDowngrade() {
        String starter = (String) product("Starter", "10.00", null, false).get("id");
        String pro = (String) product("Pro", "20.00", null, false).get("id");
        String acme = customer();
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "10.00", "reason", "x")).expectStatus().isCreated();
        String id = order(acme, starter);
        Map<?, ?> preview = post("/api/v1/subscriptions/" + id + "/change-preview", Map.of("productId", pro))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        BigDecimal credit = amount(preview, 0).negate();
        BigDecimal charge = amount(preview, 1);
        Map<?, ?> changed = post("/api/v1/subscriptions/" + id + "/change", Map.of("productId", pro))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Map<?, ?>) changed.get("subscription")).get("productId")).isEqualTo(pro);
        List<?> notes = (List<?>) changed.get("creditNoteIds");
        assertThat(notes).hasSize(1);
        // The first invoice was paid: its unused part became credit, which the new invoice used up at once.
        get("/api/v1/credit-notes/" + notes.getFirst()).expectBody().jsonPath("$.total").isEqualTo(credit.toPlainString())
                .jsonPath("$.toCredit").isEqualTo(credit.toPlainString());
        get("/api/v1/invoices/" + changed.get("invoiceId")).expectBody()
                .jsonPath("$.total").isEqualTo(charge.toPlainString())
                .jsonPath("$.creditApplied").isEqualTo(credit.toPlainString())
                .jsonPath("$.amountDue").isEqualTo(charge.subtract(credit).toPlainString())
                .jsonPath("$.lines[0].productId").isEqualTo(pro);
        get("/api/v1/customers/" + acme + "/balance").expectBody().jsonPath("$.credit").isEqualTo("0.00")
                .jsonPath("$.due").isEqualTo(charge.subtract(credit).toPlainString());
        assertThat(events(id)).endsWith("subscription.plan_changed");

        // Back down to Starter: the Pro time left is credited on the new invoice, still unpaid; Starter is charged.
        Map<?, ?> down = post("/api/v1/subscriptions/" + id + "/change", Map.of("productId", starter))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Map<?, ?>) down.get("subscription")).get("productId")).isEqualTo(starter);
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true);
        Map<?, ?> balance = get("/api/v1/customers/" + acme + "/balance").expectBody(Map.class).returnResult()
                .getResponseBody();
        // Whatever the day: what the customer owes and holds nets to what ten days of plans cost, never more.
        assertThat(new BigDecimal((String) balance.get("due")).subtract(new BigDecimal((String) balance.get("credit"))))
                .isLessThanOrEqualTo(charge.subtract(credit));
    }

    @Test
    @DisplayName("a change of cycle bills a whole new period from now; a change during a trial bills nothing")
    void cycleChangeAndTrial() {
        Map<String, Object> body = productBody("Flexible", "10.00", null, false);
        body.put("prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", "10.00"),
                Map.of("cycle", "annual", "currency", "EUR", "amount", "100.00")));
        String flexible = (String) post("/api/v1/products", body).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("id");
        String acme = customer();
        post("/api/v1/customers/" + acme + "/credits", Map.of("amount", "10.00", "reason", "x")).expectStatus().isCreated();
        String id = order(acme, flexible);
        Map<?, ?> changed = post("/api/v1/subscriptions/" + id + "/change", Map.of("cycle", "annual"))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> subscription = (Map<?, ?>) changed.get("subscription");
        assertThat(subscription.get("cycle")).isEqualTo("annual");
        Map<?, ?> period = (Map<?, ?>) subscription.get("currentPeriod");
        assertThat(Instant.parse((String) period.get("end")))
                .isEqualTo(Instant.parse((String) period.get("start")).atZone(ZoneOffset.UTC).plusYears(1).toInstant());
        get("/api/v1/invoices/" + changed.get("invoiceId")).expectBody().jsonPath("$.total").isEqualTo("100.00");
        get("/api/v1/subscriptions/" + id + "/periods").expectBody().jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[1].kind").isEqualTo("change").jsonPath("$[1].end").isEqualTo(period.get("end"));
        assertThat(subscription.get("nextDueDate")).isEqualTo(period.get("end"));

        String trial = (String) ((Map<?, ?>) post("/api/v1/subscriptions", Map.of("customerId", acme, "productId",
                flexible, "cycle", "monthly", "trialDays", 10)).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("subscription")).get("id");
        post("/api/v1/subscriptions/" + trial + "/change", Map.of("cycle", "annual")).expectStatus().isOk()
                .expectBody().jsonPath("$.invoiceId").doesNotExist().jsonPath("$.creditNoteIds.length()").isEqualTo(0)
                .jsonPath("$.subscription.cycle").isEqualTo("annual");
        post("/api/v1/subscriptions/" + id + "/suspend", null).expectStatus().isOk();
        post("/api/v1/subscriptions/" + id + "/change", Map.of("cycle", "monthly")).expectStatus().isEqualTo(409);
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true);
    }

    private static BigDecimal amount(Map<?, ?> preview, int line) {
        return new BigDecimal((String) ((Map<?, ?>) ((List<?>) preview.get("lines")).get(line)).get("amount"));
    }

    @Test
    @DisplayName("a coupon discounts the first invoice; a refused coupon refuses the order and stores nothing")
    void coupons() {
        String productId = (String) product("Pro hosting", "20.00", "5.00", false).get("id");
        String acme = customer();
        post("/api/v1/coupons", Map.of("code", "launch25", "kind", "percent", "percent", "25", "duration", "once"))
                .expectStatus().isCreated();
        Map<?, ?> ordered = post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", productId,
                "cycle", "monthly", "couponCode", "LAUNCH25")).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody();
        // 25 % off the period (20.00) and the setup fee (5.00).
        get("/api/v1/invoices/" + ordered.get("invoiceId")).expectBody()
                .jsonPath("$.discountTotal").isEqualTo("6.25").jsonPath("$.total").isEqualTo("18.75")
                .jsonPath("$.lines[0].discount").isEqualTo("5.00").jsonPath("$.lines[1].discount").isEqualTo("1.25")
                .jsonPath("$.memo").value(memo -> assertThat((String) memo).contains("LAUNCH25"));
        get("/api/v1/coupons?limit=10").expectBody().jsonPath("$.items[0].redemptions").isEqualTo(1);

        post("/api/v1/coupons", Map.of("code", "bygone", "kind", "percent", "percent", "10", "duration", "once",
                "expiresAt", "2020-01-01T00:00:00Z", "validFrom", "2019-01-01T00:00:00Z")).expectStatus().isCreated();
        post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", productId, "cycle", "monthly",
                "couponCode", "BYGONE")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("coupon.expired");
        post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", productId, "cycle", "monthly",
                "couponCode", "NOSUCHCODE")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("coupon.not_found");
        get("/api/v1/subscriptions").expectBody().jsonPath("$.items.length()").isEqualTo(1);
        get("/api/v1/invoices").expectBody().jsonPath("$.items.length()").isEqualTo(1);
        get("/api/v1/products/" + productId).expectBody().jsonPath("$.stockSold").isEqualTo(0);
    }

    @Test
    @DisplayName("bad orders are refused with problem details and nothing is stored")
    void badOrders() {
        Map<String, Object> product = product("Pro hosting", "20.00", null, true);
        String productId = (String) product.get("id");
        String acme = customer();
        refused(Map.of("customerId", acme, "productId", productId, "cycle", "weekly"), "cycle");
        refused(Map.of("customerId", acme, "productId", productId, "cycle", "one_time"), "cycle");
        refused(Map.of("customerId", acme, "productId", productId, "cycle", "annual"), "cycle");
        refused(Map.of("customerId", acme, "productId", productId, "cycle", "monthly", "quantity", -1), "quantity");
        refused(Map.of("customerId", acme, "productId", productId, "cycle", "monthly", "trialDays", 400), "trialDays");
        refused(Map.of("customerId", acme, "productId", UUID.randomUUID().toString(), "cycle", "monthly"), "productId");
        refused(Map.of("customerId", acme, "productId", productId, "cycle", "monthly",
                "options", List.of(Map.of("optionId", UUID.randomUUID().toString()))), "options");
        String optionId = (String) ((Map<?, ?>) ((List<?>) product.get("options")).getFirst()).get("id");
        refused(Map.of("customerId", acme, "productId", productId, "cycle", "monthly",
                "options", List.of(Map.of("optionId", optionId, "quantity", 500))), "options");
        Map<String, Object> usd = new HashMap<>(Map.of("name", "Yankee", "email", "y@example.test", "currency", "USD"));
        String yankee = (String) post("/api/v1/customers", usd).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("id");
        refused(Map.of("customerId", yankee, "productId", productId, "cycle", "monthly"), "cycle");
        post("/api/v1/subscriptions", Map.of("customerId", UUID.randomUUID().toString(), "productId", productId,
                "cycle", "monthly")).expectStatus().isNotFound();
        http.post().uri("/api/v1/subscriptions").headers(h -> h.setBearerAuth(session.ownerToken()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"cycle\": [").exchange().expectStatus().isBadRequest();
        post("/api/v1/subscriptions/" + UUID.randomUUID() + "/suspend", null).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("subscription.not_found");
        get("/api/v1/subscriptions").expectBody().jsonPath("$.items.length()").isEqualTo(0);
        get("/api/v1/invoices").expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @Test
    @DisplayName("retired and sold-out products cannot be ordered; stock is taken per order")
    void stock() {
        Map<String, Object> body = productBody("Limited", "10.00", null, false);
        body.put("stockLimit", 1);
        String limited = (String) post("/api/v1/products", body).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody().get("id");
        String acme = customer();
        post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", limited, "cycle", "monthly"))
                .expectStatus().isCreated();
        post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", limited, "cycle", "monthly"))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("product.not_orderable");
        get("/api/v1/products/" + limited).expectBody().jsonPath("$.stockAvailable").isEqualTo(0);
        get("/api/v1/subscriptions").expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    @DisplayName("a plan change credits and charges as the coupon discounted the period, never more than was paid")
    void planChangeWithCoupon() {
        String starter = (String) product("Starter", "10.00", null, false).get("id");
        String pro = (String) product("Pro", "20.00", null, false).get("id");
        String coupon = (String) session.created("/api/v1/coupons", Map.of("code", "HALF", "kind", "percent",
                "percent", "50", "duration", "forever")).get("id");
        String acme = customer();
        session.grantCredit(acme, "5.00");
        Map<?, ?> ordered = post("/api/v1/subscriptions", Map.of("customerId", acme, "productId", starter,
                "cycle", "monthly", "couponCode", "HALF")).expectStatus().isCreated().expectBody(Map.class)
                .returnResult().getResponseBody();
        assertThat(ordered.get("invoiceStatus")).isEqualTo("paid");
        String id = (String) ((Map<?, ?>) ordered.get("subscription")).get("id");

        Map<?, ?> preview = post("/api/v1/subscriptions/" + id + "/change-preview", Map.of("productId", pro))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(preview.get("currentRecurring")).isEqualTo("5.00");
        assertThat(preview.get("newRecurring")).isEqualTo("10.00");
        BigDecimal credit = amount(preview, 0).negate();
        BigDecimal charge = amount(preview, 1);
        // Half of what was paid for the unused days comes back, and the new plan costs half its price for them.
        assertThat(credit).isPositive().isLessThanOrEqualTo(new BigDecimal("5.00"));
        assertThat(charge.subtract(credit.multiply(BigDecimal.TWO)).abs()).isLessThanOrEqualTo(new BigDecimal("0.01"));
        assertThat((String) ((Map<?, ?>) ((List<?>) preview.get("lines")).get(1)).get("description"))
                .endsWith("(coupon HALF)");

        Map<?, ?> changed = post("/api/v1/subscriptions/" + id + "/change", Map.of("productId", pro))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        get("/api/v1/credit-notes/" + ((List<?>) changed.get("creditNoteIds")).getFirst()).expectBody()
                .jsonPath("$.total").isEqualTo(credit.toPlainString());
        get("/api/v1/invoices/" + changed.get("invoiceId")).expectBody()
                .jsonPath("$.total").isEqualTo(charge.toPlainString())
                .jsonPath("$.memo").value(memo -> assertThat((String) memo).endsWith("coupon HALF"));
        // Re-billing a period already discounted is not another cycle of the coupon.
        get("/api/v1/coupons/" + coupon + "/redemptions").expectBody()
                .jsonPath("$.items[0].cyclesDiscounted").isEqualTo(1);
    }

    @Test
    @DisplayName("a new cycle's period gets the coupon while it has cycles left, and counts one")
    void cycleChangeWithCoupon() {
        Map<String, Object> body = productBody("Starter", "10.00", null, false);
        body.put("prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", "10.00"),
                Map.of("cycle", "annual", "currency", "EUR", "amount", "100.00")));
        String starter = (String) session.created("/api/v1/products", body).get("id");
        String twice = (String) session.created("/api/v1/coupons", Map.of("code", "TWICE", "kind", "percent",
                "percent", "50", "duration", "repeating", "cycles", 2)).get("id");
        String acme = customer();
        session.grantCredit(acme, "100.00");
        String id = (String) ((Map<?, ?>) post("/api/v1/subscriptions", Map.of("customerId", acme,
                "productId", starter, "cycle", "monthly", "couponCode", "TWICE")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("subscription")).get("id");
        Map<?, ?> changed = post("/api/v1/subscriptions/" + id + "/change", Map.of("cycle", "annual"))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        get("/api/v1/invoices/" + changed.get("invoiceId")).expectBody()
                .jsonPath("$.total").isEqualTo("50.00")
                .jsonPath("$.lines[0].description").value(text -> assertThat((String) text).endsWith("(coupon TWICE)"));
        get("/api/v1/coupons/" + twice + "/redemptions").expectBody()
                .jsonPath("$.items[0].cyclesDiscounted").isEqualTo(2);
        // Used up: the next new cycle is charged in full.
        Map<?, ?> again = post("/api/v1/subscriptions/" + id + "/change-preview", Map.of("cycle", "monthly"))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(again.get("currentRecurring")).isEqualTo("50.00");
        assertThat(again.get("newRecurring")).isEqualTo("10.00");
    }

    @Test
    @DisplayName("a plan change during a scheduled cancellation keeps the cancellation")
    void changeKeepsScheduledCancellation() {
        String starter = (String) product("Starter", "10.00", null, false).get("id");
        String pro = (String) product("Pro", "20.00", null, false).get("id");
        String acme = customer();
        session.grantCredit(acme, "30.00");
        String id = order(acme, starter);
        post("/api/v1/subscriptions/" + id + "/cancel", Map.of("atPeriodEnd", true)).expectStatus().isOk();
        post("/api/v1/subscriptions/" + id + "/change", Map.of("productId", pro)).expectStatus().isOk().expectBody()
                .jsonPath("$.subscription.productId").isEqualTo(pro)
                .jsonPath("$.subscription.cancelAtPeriodEnd").isEqualTo(true)
                .jsonPath("$.subscription.nextDueDate").doesNotExist();
        get("/api/v1/subscriptions/" + id).expectBody().jsonPath("$.cancelAtPeriodEnd").isEqualTo(true);
    }

    @Test
    @DisplayName("client users see their own subscriptions only and cannot change them")
    void clientVisibility() {
        String productId = (String) product("Starter", "10.00", null, false).get("id");
        String acme = customer();
        String beta = customer();
        String mine = order(acme, productId);
        String theirs = order(beta, productId);
        post("/api/v1/customers/" + acme + "/users", Map.of("email", "jana@acme.example", "password", PASSWORD))
                .expectStatus().isCreated();
        String client = (String) login(http, tenant, "jana@acme.example", PASSWORD).get("accessToken");
        get("/api/v1/subscriptions", client).expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(mine);
        get("/api/v1/subscriptions/" + theirs, client).expectStatus().isNotFound();
        http.post().uri("/api/v1/subscriptions/{id}/cancel", mine).headers(h -> h.setBearerAuth(client)).exchange()
                .expectStatus().isForbidden();
        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        get("/api/v1/subscriptions/" + mine, otherToken).expectStatus().isNotFound();
        http.post().uri("/api/v1/subscriptions/{id}/terminate", mine).headers(h -> h.setBearerAuth(otherToken)).exchange()
                .expectStatus().isNotFound();
        get("/api/v1/subscriptions/" + mine).expectBody().jsonPath("$.status").isEqualTo("pending");
    }

    private void refused(Map<String, Object> body, String field) {
        post("/api/v1/subscriptions", body).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class).value(problem -> assertThat(((List<?>) problem.get("errors")).stream()
                        .map(error -> String.valueOf(((Map<?, ?>) error).get("field"))).toList())
                        .as("for %s", body).anyMatch(f -> f.startsWith(field)));
    }

    private String order(String customer, String product) {
        return (String) ((Map<?, ?>) post("/api/v1/subscriptions", Map.of("customerId", customer, "productId", product,
                "cycle", "monthly")).expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("subscription")).get("id");
    }

    private List<String> events(String aggregate) {
        return session.events(aggregate);
    }

    private Map<String, Object> product(String name, String monthly, String setupFee, boolean withDisk) {
        return post("/api/v1/products", productBody(name, monthly, setupFee, withDisk)).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private static Map<String, Object> productBody(String name, String monthly, String setupFee, boolean withDisk) {
        Map<String, Object> price = new HashMap<>(Map.of("cycle", "monthly", "currency", "EUR", "amount", monthly));
        if (setupFee != null) {
            price.put("setupFee", setupFee);
        }
        Map<String, Object> body = new HashMap<>(Map.of("kind", "service", "name", name, "prices", List.of(price)));
        if (withDisk) {
            body.put("options", List.of(Map.of("name", "Extra disk", "unit", "GB", "minQuantity", 0, "maxQuantity", 100,
                    "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", "1.50")))));
        }
        return body;
    }

    private String customer() {
        return session.customer("EUR", null);
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
