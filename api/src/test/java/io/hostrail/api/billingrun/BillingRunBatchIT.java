package io.hostrail.api.billingrun;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.adapters.r2dbc.billingrun.R2dbcBillingRuns;
import io.hostrail.api.support.BillingFixtures;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.billingrun.model.BillingRun.Progress;
import io.hostrail.billingrun.service.BillingRunService;
import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.subscription.model.BillingPeriods;
import io.hostrail.subscription.port.out.Subscriptions;
import io.hostrail.subscription.service.SubscriptionService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The billing run's batches: many subscriptions invoiced in one transaction, what one of them failing does to the
 * others, and what a batch the database refuses as a whole does. Runs with batches of {@value #BATCH} and two workers,
 * unlike the tiny batches one at a time the test profile gives the application's own billing run, on data seeded in
 * bulk.
 */
@HostrailIntegrationTest
class BillingRunBatchIT {

    private static final String PASSWORD = "a long and unguessable passphrase";
    private static final int BATCH = 100;

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired Subscriptions subscriptions;
    @Autowired SubscriptionService subscriptionService;
    @Autowired BillingSettingsService settings;
    @Autowired UnitOfWork unitOfWork;
    @Autowired DomainEvents events;
    @Autowired AuditTrail audit;
    @Autowired IdGenerator ids;
    @Autowired Clock clock;

    private BillingRunService billing;
    private String ownerToken;
    private String tenantId;
    private BillingFixtures fixtures;

    @BeforeEach
    void freshTenant() {
        String tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
        tenantId = (String) http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("tenantId");
        fixtures = new BillingFixtures(database, tenantId);
        billing = new BillingRunService(new R2dbcBillingRuns(database), subscriptions, subscriptionService, settings, unitOfWork, events, audit, ids,
                clock, "batch-it", BATCH, 2);
        post("/api/v1/tax-rules", Map.of("name", "Umsatzsteuer", "country", "DE", "percent", "19"));
    }

    @Test
    @DisplayName("batches invoice many customers at once: gapless numbers, credit spent in order, one audit record each")
    void manyCustomersPerBatch() {
        String product = product("Hosting Pro", "9.99");
        fixtures.customers(23, "DE");
        long credited = fixtures.credit(10, 25_00);
        fixtures.monthlySubscriptions(product, 230);

        BillingRun done = run();

        assertThat(done.progress()).isEqualTo(new Progress(0, 0, 230, 0, 0));
        assertThat(count("SELECT count(*) AS n FROM invoice WHERE total_minor = 1189 AND tax_minor = 190")).isEqualTo(230);
        assertThat(count("SELECT count(DISTINCT number) AS n FROM invoice")).isEqualTo(230);
        assertThat(count("SELECT max(substring(number FROM 10)::int)::bigint AS n FROM invoice")).isEqualTo(230);
        assertThat(count("SELECT count(*) AS n FROM invoice_line l JOIN subscription_period_invoice p"
                + " ON p.invoice_id = l.invoice_id AND p.subscription_id = l.subscription_id"
                + " AND p.period_start = l.period_start AND p.period_end = l.period_end")).isEqualTo(230);
        // Three customers hold 25.00 each: two of their invoices (11.89) are paid with it, the third in part.
        assertThat(credited).isEqualTo(3);
        assertThat(count("SELECT sum(credit_applied_minor)::bigint AS n FROM invoice")).isEqualTo(3 * 25_00);
        assertThat(count("SELECT count(*) AS n FROM invoice WHERE status = 'paid'")).isEqualTo(6);
        assertThat(count("SELECT count(*) AS n FROM invoice WHERE credit_applied_minor = 122 AND status = 'open'"))
                .isEqualTo(3);
        assertThat(outbox("invoice.finalized")).isEqualTo(230);
        assertThat(outbox("invoice.credit_applied")).isEqualTo(9);
        assertThat(outbox("invoice.paid")).isEqualTo(6);
        assertThat(count("SELECT count(*) AS n FROM ledger_transaction WHERE kind = 'credit_applied'")).isEqualTo(9);
        assertThat(count("""
                SELECT count(*) AS n FROM (SELECT transaction_id FROM ledger_entry GROUP BY transaction_id, currency
                    HAVING sum(debit_minor) <> sum(credit_minor)) unbalanced
                """)).isZero();
        assertThat(count("""
                SELECT count(*) AS n FROM (SELECT customer_id FROM ledger_entry WHERE account = 'customer_credit'
                    GROUP BY customer_id HAVING sum(credit_minor) <> sum(debit_minor)) unspent
                """)).isZero();
        // One audit record per batch, naming its block of numbers: blocks of at most a batch, covering 1 to 230 once.
        List<String> audited = database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n"
                        + "SELECT after_values ->> 'numbers' AS numbers FROM audit_record"
                        + " WHERE action = 'billing_run.invoiced' ORDER BY sequence")
                .map(row -> row.get("numbers", String.class)).all().collectList().block(Duration.ofSeconds(10));
        List<int[]> blocks = audited.stream().map(numbers -> numbers.split(" to "))
                .map(ends -> new int[] {Integer.parseInt(ends[0].substring(9)), Integer.parseInt(ends[1].substring(9))})
                .sorted(Comparator.comparingInt(block -> block[0])).toList();
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(230 / BATCH + 1)
                .allSatisfy(block -> assertThat(block[1] - block[0] + 1).isBetween(1, BATCH));
        assertThat(blocks.getFirst()[0]).isEqualTo(1);
        assertThat(blocks.getLast()[1]).isEqualTo(230);
        IntStream.range(1, blocks.size()).forEach(i -> assertThat(blocks.get(i)[0]).isEqualTo(blocks.get(i - 1)[1] + 1));
        assertThat(count("SELECT count(*) AS n FROM audit_record WHERE action = 'invoice.finalized'")).isZero();

        assertThat(billing.startScheduled(tenant()).blockOptional(Duration.ofSeconds(10))).as("nothing left to bill")
                .isEmpty();
    }

    @Test
    @DisplayName("a subscription that cannot be billed fails alone; the rest of its batch is invoiced")
    void failuresStayWithTheirSubscription() {
        String product = product("Hosting Pro", "9.99");
        String legacy = (String) post("/api/v1/products", new HashMap<>(Map.of("kind", "service", "name", "Legacy plan",
                "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", "4.99"),
                        Map.of("cycle", "annual", "currency", "EUR", "amount", "49.00"))))).get("id");
        fixtures.customers(5, "DE");
        fixtures.monthlySubscriptions(product, 10);
        String priceless = fixtures.value("""
                UPDATE subscription SET product_id = '%s' WHERE id = (SELECT id FROM subscription ORDER BY id LIMIT 1)
                RETURNING id
                """.formatted(legacy));
        // Its plan loses its monthly price (an edit gone wrong, say): it cannot be invoiced.
        fixtures.sql("DELETE FROM product_price WHERE product_id = '" + legacy + "' AND cycle = 'monthly'");
        fixtures.customers(1, null);
        String nowhere = fixtures.value("""
                UPDATE subscription SET customer_id = (SELECT id FROM customer WHERE address_country IS NULL)
                WHERE id = (SELECT id FROM subscription ORDER BY id DESC LIMIT 1) RETURNING id
                """);

        BillingRun done = run();

        assertThat(done.progress()).isEqualTo(new Progress(0, 0, 8, 0, 2));
        Map<String, String> failures = failures(done);
        assertThat(failures).containsOnlyKeys(priceless, nowhere);
        assertThat(failures.get(priceless)).contains("no monthly price");
        assertThat(failures.get(nowhere)).contains("billing address");
        assertThat(count("SELECT count(*) AS n FROM subscription_period_invoice WHERE subscription_id IN ('" + priceless
                + "', '" + nowhere + "')")).isZero();
        assertThat(count("SELECT count(*) AS n FROM invoice")).isEqualTo(8);
        assertThat(count("SELECT max(substring(number FROM 10)::int)::bigint AS n FROM invoice")).isEqualTo(8);
    }

    @Test
    @DisplayName("a batch the database refuses as a whole is billed again one by one, and only the culprit fails")
    void batchRefusedAsAWhole() {
        String product = product("Hosting Pro", "9.99");
        String refused = product("Refused by the test database", "5.00");
        fixtures.customers(3, "DE");
        fixtures.monthlySubscriptions(product, 12);
        String culprit = fixtures.value("UPDATE subscription SET product_id = '" + refused
                + "' WHERE id = (SELECT id FROM subscription ORDER BY id LIMIT 1) RETURNING id");

        BillingRun done = run();

        assertThat(done.status()).isEqualTo(BillingRun.Status.COMPLETED);
        assertThat(done.progress()).isEqualTo(new Progress(0, 0, 11, 0, 1));
        assertThat(failures(done)).containsOnlyKeys(culprit).hasValueSatisfying(new Condition<>(
                error -> error.contains("refused by the test database"), "the database's refusal"));
        // The rolled-back batch gave its numbers back.
        assertThat(count("SELECT max(substring(number FROM 10)::int)::bigint AS n FROM invoice")).isEqualTo(11);
        assertThat(count("SELECT count(*) AS n FROM subscription_period_invoice")).isEqualTo(11);
    }

    @Test
    @DisplayName("a subscription far behind gets one invoice per period, one period per pass, until it is up to date")
    void farBehind() {
        String product = product("Hosting Pro", "9.99");
        fixtures.customers(1, "DE");
        fixtures.monthlySubscriptions(product, 3);
        Instant anchor = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(100));
        String behind = fixtures.value("""
                UPDATE subscription SET anchor = '%1$s', period_start = '%1$s', created_at = '%1$s',
                    period_end = timestamptz '%1$s' + interval '1 month', billed_through = timestamptz '%1$s' + interval '1 month'
                WHERE id = (SELECT id FROM subscription ORDER BY id LIMIT 1) RETURNING id
                """.formatted(anchor));
        Instant horizon = clock.instant().plus(Duration.ofDays(14));
        long due = IntStream.rangeClosed(1, 12)
                .filter(k -> !BillingPeriods.periodStart(anchor, BillingCycle.MONTHLY, k).isAfter(horizon)).count();

        BillingRun done = run();

        assertThat(done.progress().renewed()).as("its current period is long over too").isEqualTo(1);
        assertThat(done.progress().invoiced()).isEqualTo(2 + due);
        assertThat(count("SELECT count(*) AS n FROM subscription_period_invoice WHERE subscription_id = '" + behind + "'"))
                .isEqualTo(due);
        // Back to back: each period starts where the one before it ended.
        assertThat(count("""
                SELECT count(*) AS n FROM subscription_period_invoice later JOIN subscription_period_invoice earlier
                    ON earlier.subscription_id = later.subscription_id AND earlier.period_end = later.period_start
                WHERE later.subscription_id = '%s'
                """.formatted(behind))).isEqualTo(due - 1);
    }

    @Test
    @DisplayName("a period already billed is never billed again, even when its subscription still looks due")
    void periodBilledElsewhere() {
        String product = product("Hosting Pro", "9.99");
        fixtures.customers(2, "DE");
        fixtures.monthlySubscriptions(product, 4);
        assertThat(run().progress().invoiced()).isEqualTo(4);
        // As if the billed-through mark had not moved, for one subscription: its period is claimed already.
        String again = fixtures.value("""
                UPDATE subscription s SET billed_through = p.period_start FROM subscription_period_invoice p
                WHERE p.subscription_id = s.id AND s.id = (SELECT id FROM subscription ORDER BY id LIMIT 1) RETURNING s.id
                """);

        BillingRun second = run();

        assertThat(second.progress()).isEqualTo(new Progress(0, 0, 0, 1, 0));
        assertThat(count("SELECT count(*) AS n FROM invoice")).isEqualTo(4);
        assertThat(count("SELECT count(*) AS n FROM subscription_period_invoice WHERE subscription_id = '" + again + "'"))
                .isEqualTo(1);
        assertThat(count("SELECT max(substring(number FROM 10)::int)::bigint AS n FROM invoice")).isEqualTo(4);
    }

    private BillingRun run() {
        return billing.startScheduled(tenant()).flatMap(billing::execute).blockOptional(Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("nothing was due"));
    }

    private TenantId tenant() {
        return new TenantId(UUID.fromString(tenantId));
    }

    /** Subscription id to error, of the run's failures. */
    private Map<String, String> failures(BillingRun run) {
        return database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n"
                        + "SELECT subscription_id::text AS id, error FROM billing_run_failure WHERE run_id = '" + run.id() + "'")
                .map(row -> Map.entry(row.get("id", String.class), row.get("error", String.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block(Duration.ofSeconds(10));
    }

    private long count(String query) {
        return fixtures.count(query);
    }

    private long outbox(String type) {
        return count("SELECT count(*) AS n FROM outbox WHERE tenant_id = '" + tenantId + "' AND event_type = '" + type + "'");
    }

    private String product(String name, String monthly) {
        return (String) post("/api/v1/products", new HashMap<>(Map.of("kind", "service", "name", name,
                "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", monthly))))).get("id");
    }

    private Map<?, ?> post(String uri, Object body) {
        return http.post().uri(uri).headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
    }
}
