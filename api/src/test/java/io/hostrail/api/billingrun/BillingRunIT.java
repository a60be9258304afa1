package io.hostrail.api.billingrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.SecondInstance;
import io.hostrail.api.support.TenantSession;
import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.billingrun.service.BillingRunService;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

/**
 * The billing run through the API: trial subscriptions are due at once (their first period starts when the trial
 * ends, within the renewal lead days), and backdated ones have periods to renew.
 */
@HostrailIntegrationTest
class BillingRunIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired BillingRunService billingRuns;

    private TenantSession session;
    private String tenantId;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        session = TenantSession.fresh(http, bootstrap, database);
        tenantId = session.tenantId();
        ownerToken = session.ownerToken();
    }

    @Test
    @DisplayName("a run invoices every due period once, shows its progress, and a second run finds nothing to do")
    void invoicesDuePeriodsOnce() {
        String product = product("10.00");
        String acme = customer();
        List<String> subscriptions = IntStream.range(0, 5).mapToObj(i -> trial(acme, product, 7)).toList();
        Map<?, ?> first = run(http);
        assertThat(first.get("status")).isEqualTo("completed");
        assertThat(first.get("progress")).isEqualTo(Map.of("renewed", 0, "cancelled", 0, "invoiced", 5, "skipped", 0,
                "failed", 0));
        for (String subscription : subscriptions) {
            Map<?, ?> s = get("/api/v1/subscriptions/" + subscription).expectBody(Map.class).returnResult().getResponseBody();
            List<?> periods = get("/api/v1/subscriptions/" + subscription + "/periods").expectBody(List.class).returnResult()
                    .getResponseBody();
            assertThat(periods).hasSize(1);
            Map<?, ?> billed = (Map<?, ?>) periods.getFirst();
            assertThat(billed.get("kind")).isEqualTo("renewal");
            assertThat(billed.get("start")).isEqualTo(s.get("trialEnd"));
            assertThat(Instant.parse((String) billed.get("end"))).isEqualTo(Instant.parse((String) s.get("trialEnd"))
                    .atZone(ZoneOffset.UTC).plusMonths(1).toInstant());
            get("/api/v1/invoices/" + billed.get("invoiceId")).expectBody()
                    .jsonPath("$.status").isEqualTo("open").jsonPath("$.total").isEqualTo("10.00")
                    .jsonPath("$.dueAt").isEqualTo(s.get("trialEnd"))
                    .jsonPath("$.lines[0].subscriptionId").isEqualTo(subscription);
            // The next period starts a month after the trial: beyond the 14 days' lead, so not billed yet.
            assertThat(s.get("nextDueDate")).isEqualTo(s.get("trialEnd"));
        }
        Map<?, ?> second = run(http);
        assertThat(((Map<?, ?>) second.get("progress")).get("invoiced")).isEqualTo(0);
        get("/api/v1/invoices").expectBody().jsonPath("$.items.length()").isEqualTo(5);
        get("/api/v1/billing-runs").expectBody().jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].id").isEqualTo(second.get("id"));
        assertThat(count("SELECT count(*) AS n FROM outbox WHERE event_type = 'billing_run.completed' AND tenant_id = '"
                + tenantId + "'")).isEqualTo(2);
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'accounts_receivable')].debits").isEqualTo("50.00");
    }

    @Test
    @DisplayName("two instances running at once bill every due period exactly once, with gapless numbers")
    void twoInstancesAtOnce() {
        String product = product("4.00");
        String acme = customer();
        int count = 30;
        IntStream.range(0, count).forEach(i -> trial(acme, product, 3));
        WebTestClient other = SecondInstance.http();
        Map<?, ?> a = start(http);
        Map<?, ?> b = start(other);
        Map<?, ?> doneA = awaitCompleted((String) a.get("id"));
        Map<?, ?> doneB = awaitCompleted((String) b.get("id"));
        int invoiced = (Integer) ((Map<?, ?>) doneA.get("progress")).get("invoiced")
                + (Integer) ((Map<?, ?>) doneB.get("progress")).get("invoiced");
        assertThat(invoiced).isEqualTo(count);
        assertThat(count("SELECT count(*) AS n FROM invoice WHERE tenant_id = '" + tenantId + "'")).isEqualTo(count);
        assertThat(count("SELECT count(DISTINCT subscription_id) AS n FROM subscription_period_invoice WHERE tenant_id = '"
                + tenantId + "'")).isEqualTo(count);
        List<String> numbers = database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n"
                        + "SELECT number FROM invoice ORDER BY number")
                .map(row -> row.get("number", String.class)).all().collectList().block(Duration.ofSeconds(10));
        String year = numbers.getFirst().substring(4, 8);
        assertThat(numbers).containsExactlyElementsOf(IntStream.rangeClosed(1, count)
                .mapToObj(n -> "INV-" + year + "-%06d".formatted(n)).toList());
    }

    @Test
    @DisplayName("ended periods are renewed, scheduled cancellations take effect, and the renewed period is invoiced")
    void renewsAndCancels() {
        String product = product("10.00");
        String acme = customer();
        grant(acme, "20.00");
        String renewing = order(acme, product);
        String leaving = order(acme, product);
        post("/api/v1/subscriptions/" + leaving + "/cancel", null).expectStatus().isOk();
        backdate(renewing, 45);
        backdate(leaving, 45);
        Map<?, ?> done = run(http);
        assertThat(done.get("progress")).isEqualTo(Map.of("renewed", 1, "cancelled", 1, "invoiced", 1, "skipped", 0,
                "failed", 0));
        Map<?, ?> renewed = get("/api/v1/subscriptions/" + renewing).expectBody(Map.class).returnResult().getResponseBody();
        Instant anchor = Instant.parse((String) renewed.get("anchor"));
        Map<?, ?> period = (Map<?, ?>) renewed.get("currentPeriod");
        assertThat(Instant.parse((String) period.get("start"))).isEqualTo(anchor.atZone(ZoneOffset.UTC).plusMonths(1).toInstant());
        get("/api/v1/subscriptions/" + renewing + "/periods").expectBody().jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[1].start").isEqualTo(period.get("start"));
        get("/api/v1/subscriptions/" + leaving).expectBody().jsonPath("$.status").isEqualTo("cancelled")
                .jsonPath("$.cancelledAt").exists();
        get("/api/v1/subscriptions/" + leaving + "/periods").expectBody().jsonPath("$.length()").isEqualTo(1);
        assertThat(events(renewing)).endsWith("subscription.renewed");
        assertThat(events(leaving)).endsWith("subscription.cancelled");
    }

    @Test
    @DisplayName("a repeating coupon discounts renewals for its cycles only")
    void couponsOnRenewals() {
        String product = product("10.00");
        String acme = customer();
        post("/api/v1/coupons", Map.of("code", "half-first", "kind", "percent", "percent", "50", "duration", "repeating",
                "cycles", 1)).expectStatus().isCreated();
        String subscription = (String) ((Map<?, ?>) post("/api/v1/subscriptions", Map.of("customerId", acme,
                "productId", product, "cycle", "monthly", "trialDays", 3, "couponCode", "HALF-FIRST")).expectStatus()
                .isCreated().expectBody(Map.class).returnResult().getResponseBody().get("subscription")).get("id");
        String other = trial(acme, product, 3);
        Map<?, ?> done = run(http);
        assertThat(((Map<?, ?>) done.get("progress")).get("invoiced")).isEqualTo(2);
        String discounted = (String) ((Map<?, ?>) get("/api/v1/subscriptions/" + subscription + "/periods")
                .expectBody(List.class).returnResult().getResponseBody().getFirst()).get("invoiceId");
        String full = (String) ((Map<?, ?>) get("/api/v1/subscriptions/" + other + "/periods")
                .expectBody(List.class).returnResult().getResponseBody().getFirst()).get("invoiceId");
        get("/api/v1/invoices/" + discounted).expectBody().jsonPath("$.total").isEqualTo("5.00")
                .jsonPath("$.discountTotal").isEqualTo("5.00");
        get("/api/v1/invoices/" + full).expectBody().jsonPath("$.total").isEqualTo("10.00");
        assertThat(count("SELECT cycles_discounted::bigint AS n FROM coupon_redemption WHERE subscription_id = '"
                + subscription + "'")).isEqualTo(1);
    }

    @Test
    @DisplayName("a subscription that cannot be billed is recorded as a failure and the run carries on")
    void failuresDoNotStopTheRun() {
        String product = product("10.00");
        String acme = customer();
        String good = trial(acme, product, 5);
        String broken = trial(acme, product, 5);
        // The broken one's plan loses its monthly price (say, an edit went wrong): it cannot be invoiced.
        sql("UPDATE subscription SET cycle = 'annual' WHERE id = '" + broken + "'");
        Map<?, ?> done = run(http);
        assertThat(done.get("status")).isEqualTo("completed");
        assertThat(done.get("progress")).isEqualTo(Map.of("renewed", 0, "cancelled", 0, "invoiced", 1, "skipped", 0,
                "failed", 1));
        get("/api/v1/billing-runs/" + done.get("id") + "/failures").expectBody()
                .jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].subscriptionId").isEqualTo(broken)
                .jsonPath("$[0].error").value(error -> assertThat((String) error).contains("annual"));
        get("/api/v1/subscriptions/" + good + "/periods").expectBody().jsonPath("$.length()").isEqualTo(1);
        get("/api/v1/subscriptions/" + broken + "/periods").expectBody().jsonPath("$.length()").isEqualTo(0);
        get("/api/v1/billing-runs/" + UUID.randomUUID()).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("billing_run.not_found");
    }

    @Test
    @DisplayName("a run that dies midway leaves no half-billed period; the next run bills exactly what is left")
    void crashedRunResumes() {
        String product = product("2.00");
        String acme = customer();
        int count = 40;
        IntStream.range(0, count).forEach(i -> trial(acme, product, 2));
        BillingRun crashing = billingRuns.startScheduled(new TenantId(UUID.fromString(tenantId))).block(Duration.ofSeconds(10));
        Disposable running = billingRuns.execute(crashing).subscribe();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> count(
                "SELECT count(*) AS n FROM invoice WHERE tenant_id = '" + tenantId + "'") >= 5);
        running.dispose();
        long billedBeforeCrash = count("SELECT count(*) AS n FROM subscription_period_invoice WHERE tenant_id = '"
                + tenantId + "'");
        Map<?, ?> resumed = run(http);
        long invoicedAfter = ((Number) ((Map<?, ?>) resumed.get("progress")).get("invoiced")).longValue();
        long invoices = count("SELECT count(*) AS n FROM invoice WHERE tenant_id = '" + tenantId + "'");
        assertThat(invoices).isEqualTo(count);
        assertThat(count("SELECT count(*) AS n FROM subscription_period_invoice WHERE tenant_id = '" + tenantId + "'"))
                .isEqualTo(count);
        assertThat(invoicedAfter).isBetween((long) count - billedBeforeCrash - 1, (long) count - billedBeforeCrash + 1);
        get("/api/v1/billing-runs/" + crashing.id()).expectBody().jsonPath("$.status").isEqualTo("running");
        get("/api/v1/ledger/trial-balance").expectBody().jsonPath("$.balanced").isEqualTo(true)
                .jsonPath("$.currencies[0].accounts[?(@.account == 'accounts_receivable')].debits").isEqualTo("80.00");
    }

    private Map<?, ?> run(WebTestClient client) {
        return awaitCompleted((String) start(client).get("id"));
    }

    private Map<?, ?> start(WebTestClient client) {
        return client.post().uri("/api/v1/billing-runs").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isAccepted().expectHeader().exists("Location")
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private Map<?, ?> awaitCompleted(String id) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                !"running".equals(get("/api/v1/billing-runs/" + id).expectBody(Map.class).returnResult().getResponseBody()
                        .get("status")));
        return get("/api/v1/billing-runs/" + id).expectBody(Map.class).returnResult().getResponseBody();
    }

    /** Moves a subscription's whole timeline {@code days} into the past, as if it had been ordered then. */
    private void backdate(String subscription, int days) {
        sql("""
                UPDATE subscription SET anchor = anchor - interval '%1$d days',
                    period_start = period_start - interval '%1$d days', period_end = period_end - interval '%1$d days',
                    billed_through = billed_through - interval '%1$d days', created_at = created_at - interval '%1$d days'
                WHERE id = '%2$s';
                UPDATE subscription_period_invoice SET period_start = period_start - interval '%1$d days',
                    period_end = period_end - interval '%1$d days' WHERE subscription_id = '%2$s';
                """.formatted(days, subscription));
        // Months are not all 30 days: realign the period to the anchor, as the application would have computed it.
        sql("""
                UPDATE subscription SET period_end = anchor + interval '1 month', billed_through = anchor + interval '1 month'
                WHERE id = '%1$s';
                UPDATE subscription_period_invoice b SET period_end = s.period_end FROM subscription s
                WHERE s.id = b.subscription_id AND b.subscription_id = '%1$s';
                """.formatted(subscription));
    }

    private void sql(String statements) {
        session.sql(statements);
    }

    private long count(String query) {
        return session.count(query);
    }

    private List<String> events(String aggregate) {
        return session.events(aggregate);
    }

    private String trial(String customer, String product, int days) {
        return (String) ((Map<?, ?>) session.created("/api/v1/subscriptions", Map.of("customerId", customer,
                "productId", product, "cycle", "monthly", "trialDays", days)).get("subscription")).get("id");
    }

    private String order(String customer, String product) {
        return (String) ((Map<?, ?>) session.created("/api/v1/subscriptions", Map.of("customerId", customer,
                "productId", product, "cycle", "monthly")).get("subscription")).get("id");
    }

    private void grant(String customer, String amount) {
        session.grantCredit(customer, amount);
    }

    private String product(String monthly) {
        return session.monthlyProduct("Plan " + monthly, monthly);
    }

    private String customer() {
        return session.customer("EUR", null);
    }

    private WebTestClient.ResponseSpec post(String uri, Object body) {
        return session.post(uri, body);
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return session.get(uri);
    }
}
