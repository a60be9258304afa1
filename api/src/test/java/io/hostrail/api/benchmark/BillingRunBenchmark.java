package io.hostrail.api.benchmark;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.billingrun.service.BillingRunService;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.shared.model.TenantId;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The billing run end to end at scale: N active monthly subscriptions due within the renewal lead days, for N/10
 * customers taxed in Germany (19 %), one customer in a hundred holding credit; one run invoices them all (invoice, line,
 * tax, gapless number, ledger transaction, {@code invoice.finalized} in the outbox, credit applied where there is some).
 * It times the run from its start to its completion, watches the heap meanwhile, checks what was written, and prints a
 * Markdown row for docs/benchmarks.md (also appended to {@code api/target/benchmark/billing-run.md}).
 *
 * <p>Not part of the normal suite (the name matches none of surefire's includes); run it with the {@code benchmark}
 * profile, see docs/benchmarks.md. {@code -Dbenchmark.subscriptions=10000,50000,100000} picks the sizes, each in a
 * tenant of its own. Only correctness is asserted: speed is recorded, never asserted.
 */
@HostrailIntegrationTest
class BillingRunBenchmark {

    private static final String PASSWORD = "a long and unguessable passphrase";
    private static final int SUBSCRIPTIONS_PER_CUSTOMER = 10;
    private static final int ONE_CUSTOMER_IN_WITH_CREDIT = 100;
    private static final long CREDIT_MINOR = 25_00;
    /** 9.99 plus 19 % VAT, per-line rounding: 1.90 of tax. */
    private static final long INVOICE_TOTAL_MINOR = 11_89;

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired BillingRunService billingRuns;

    @TestFactory
    Stream<DynamicTest> billingRun() {
        return Arrays.stream(System.getProperty("benchmark.subscriptions", "10000").split(","))
                .map(String::strip).filter(size -> !size.isEmpty()).map(Integer::parseInt)
                .map(size -> DynamicTest.dynamicTest(size + " subscriptions", () -> measure(size)));
    }

    private void measure(int subscriptions) throws IOException {
        int customers = Math.max(1, subscriptions / SUBSCRIPTIONS_PER_CUSTOMER);
        String tenant = newTenant(bootstrap, PASSWORD);
        String token = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
        String tenantId = (String) http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(token)).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("tenantId");
        post(token, "/api/v1/tax-rules", Map.of("name", "Umsatzsteuer", "country", "DE", "percent", "19"));
        String product = (String) post(token, "/api/v1/products", new HashMap<>(Map.of("kind", "service",
                "name", "Hosting Pro", "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", "9.99")))))
                .get("id");

        long seedStart = System.nanoTime();
        seed(tenantId, product, customers, subscriptions);
        Duration seeding = Duration.ofNanos(System.nanoTime() - seedStart);
        long credited = count(tenantId, "SELECT count(*) AS n FROM ledger_transaction WHERE kind = 'manual_credit'");

        TenantId owner = new TenantId(UUID.fromString(tenantId));
        System.gc();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        BillingRun done;
        long elapsedNanos;
        HeapSampler heap = new HeapSampler();
        try (heap) {
            long start = System.nanoTime();
            done = billingRuns.startScheduled(owner).flatMap(billingRuns::execute).block(Duration.ofMinutes(30));
            elapsedNanos = System.nanoTime() - start;
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        assertThat(done).isNotNull();
        assertThat(done.status()).as("last error: %s", done.lastError()).isEqualTo(BillingRun.Status.COMPLETED);
        assertThat(done.progress()).isEqualTo(new BillingRun.Progress(0, 0, subscriptions, 0, 0));
        verifyWritten(tenantId, subscriptions, credited);

        double seconds = elapsedNanos / 1e9;
        String row = String.format(Locale.ROOT, "| %s | %,d | %.1f s | %,.0f | %d MiB | %d MiB | %d | %.2f → %.2f | seeding %.1f s |",
                LocalDate.now(ZoneOffset.UTC), subscriptions, seconds, subscriptions / seconds, mib(heap.peakUsedBytes()),
                mib(heap.peakAfterGcBytes()), heap.collections(), loadBefore, loadAfter, seeding.toMillis() / 1e3);
        System.out.println("BENCHMARK " + row);
        Path results = Path.of("target", "benchmark", "billing-run.md");
        Files.createDirectories(results.getParent());
        Files.writeString(results, row + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Set-based, so seeding 100,000 takes seconds: customers with a German billing address, one in a hundred with
     * 25.00 of credit (a balanced manual credit), and monthly subscriptions whose current period ends between one
     * hour and thirteen days from now, already billed through its end: the next period is due within the 14 days'
     * lead. Their anchors spread over seconds and days, as orders do.
     */
    private void seed(String tenantId, String product, int customers, int subscriptions) {
        sql(tenantId, """
                INSERT INTO customer (id, tenant_id, name, email, currency, language, status, address_line1, address_city,
                    address_postal_code, address_country, contacts, created_at, updated_at)
                SELECT uuidv7(), '%1$s', 'Customer ' || g, 'billing-' || g || '@bench.example', 'EUR', 'de', 'active',
                    'Hauptstraße ' || g, 'Berlin', '10115', 'DE', '[]', now(), now()
                FROM generate_series(1, %2$d) g;
                """.formatted(tenantId, customers));
        sql(tenantId, """
                WITH credited AS MATERIALIZED (
                    SELECT id AS customer_id, uuidv7() AS transaction_id
                    FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM customer WHERE tenant_id = '%1$s') c
                    WHERE k %% %2$d = 1),
                header AS (
                    INSERT INTO ledger_transaction (id, tenant_id, kind, customer_id, description, occurred_at)
                    SELECT transaction_id, '%1$s', 'manual_credit', customer_id, 'Prepaid', now() FROM credited
                    RETURNING id, customer_id)
                INSERT INTO ledger_entry (tenant_id, transaction_id, account, customer_id, currency, debit_minor, credit_minor)
                SELECT '%1$s', header.id, side.account, header.customer_id, 'EUR', side.debit, side.credit
                FROM header CROSS JOIN (VALUES ('credit_adjustments', %3$d, 0), ('customer_credit', 0, %3$d))
                    AS side (account, debit, credit);
                """.formatted(tenantId, ONE_CUSTOMER_IN_WITH_CREDIT, CREDIT_MINOR));
        sql(tenantId, """
                WITH c AS MATERIALIZED (
                    SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM customer WHERE tenant_id = '%1$s'),
                s AS (
                    SELECT g, date_trunc('second', now()) - interval '1 month' + interval '1 hour'
                        + (g %% 13) * interval '1 day' + (g %% 86400) * interval '1 second' AS anchor
                    FROM generate_series(0, %4$d - 1) g)
                INSERT INTO subscription (id, tenant_id, customer_id, product_id, cycle, currency, status, quantity, options,
                    anchor, period_start, period_end, billed_through, cancel_at_period_end, created_at, updated_at, version)
                SELECT uuidv7(), '%1$s', c.id, '%2$s', 'monthly', 'EUR', 'active', 1, '[]', s.anchor, s.anchor,
                    s.anchor + interval '1 month', s.anchor + interval '1 month', false, s.anchor, now(), 0
                FROM s JOIN c ON c.k = s.g %% %3$d;
                """.formatted(tenantId, product, customers, subscriptions));
        sql(tenantId, "ANALYZE customer; ANALYZE subscription; ANALYZE ledger_entry; ANALYZE ledger_transaction;");
    }

    private void verifyWritten(String tenantId, int subscriptions, long credited) {
        assertThat(count(tenantId, "SELECT count(*) AS n FROM invoice")).isEqualTo(subscriptions);
        assertThat(count(tenantId, "SELECT count(*) AS n FROM invoice_line")).isEqualTo(subscriptions);
        assertThat(count(tenantId, "SELECT count(*) AS n FROM invoice_tax")).isEqualTo(subscriptions);
        assertThat(count(tenantId, "SELECT count(*) AS n FROM invoice WHERE total_minor = " + INVOICE_TOTAL_MINOR))
                .isEqualTo(subscriptions);
        // Gapless: N distinct numbers, 1 to N, in one yearly sequence.
        assertThat(count(tenantId, "SELECT count(DISTINCT number) AS n FROM invoice")).isEqualTo(subscriptions);
        assertThat(count(tenantId, "SELECT count(*) AS n FROM invoice WHERE substring(number FROM 10)::int BETWEEN 1 AND "
                + subscriptions)).isEqualTo(subscriptions);
        // No subscription billed twice, none left out.
        assertThat(count(tenantId, "SELECT count(*) AS n FROM subscription_period_invoice")).isEqualTo(subscriptions);
        assertThat(count(tenantId, "SELECT count(DISTINCT subscription_id) AS n FROM subscription_period_invoice"))
                .isEqualTo(subscriptions);
        assertThat(count(tenantId, "SELECT count(*) AS n FROM subscription WHERE billed_through <= now() + interval '14 days'"))
                .isZero();
        assertThat(count(tenantId, "SELECT count(*) AS n FROM outbox WHERE tenant_id = '" + tenantId
                + "' AND event_type = 'invoice.finalized'")).isEqualTo(subscriptions);
        assertThat(count(tenantId, "SELECT count(*) AS n FROM ledger_transaction WHERE kind = 'invoice_issued'"))
                .isEqualTo(subscriptions);
        // The ledger balances, in total and per transaction.
        assertThat(count(tenantId, """
                SELECT count(*) AS n FROM (SELECT transaction_id FROM ledger_entry GROUP BY transaction_id, currency
                    HAVING sum(debit_minor) <> sum(credit_minor)) unbalanced
                """)).isZero();
        assertThat(count(tenantId, "SELECT (sum(debit_minor) - sum(credit_minor))::bigint AS n FROM ledger_entry")).isZero();
        assertThat(count(tenantId, "SELECT sum(debit_minor)::bigint AS n FROM ledger_entry WHERE account = 'accounts_receivable'"))
                .isEqualTo((long) subscriptions * INVOICE_TOTAL_MINOR);
        // Every credited customer (ten invoices of 11.89 each) spent all 25.00 of its credit, and nothing more.
        assertThat(count(tenantId, "SELECT coalesce(sum(credit_applied_minor), 0)::bigint AS n FROM invoice"))
                .isEqualTo(credited * CREDIT_MINOR);
        assertThat(count(tenantId, """
                SELECT count(*) AS n FROM (SELECT customer_id FROM ledger_entry WHERE account = 'customer_credit'
                    GROUP BY customer_id HAVING sum(credit_minor) - sum(debit_minor) <> 0) unspent
                """)).isZero();
        long creditApplications = count(tenantId, "SELECT count(*) AS n FROM ledger_transaction WHERE kind = 'credit_applied'");
        assertThat(count(tenantId, "SELECT count(*) AS n FROM outbox WHERE tenant_id = '" + tenantId
                + "' AND event_type = 'invoice.credit_applied'")).isEqualTo(creditApplications);
        assertThat(count(tenantId, "SELECT count(*) AS n FROM outbox WHERE tenant_id = '" + tenantId
                + "' AND event_type = 'invoice.paid'"))
                .isEqualTo(count(tenantId, "SELECT count(*) AS n FROM invoice WHERE status = 'paid'"));
        assertThat(count(tenantId, "SELECT count(*) AS n FROM invoice WHERE status = 'paid'"))
                .isEqualTo(credited * (CREDIT_MINOR / INVOICE_TOTAL_MINOR));
    }

    private Map<?, ?> post(String token, String uri, Object body) {
        return http.post().uri(uri).headers(h -> h.setBearerAuth(token)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    /** One simple query is one transaction, so the tenant set first applies to the statements after it. */
    private void sql(String tenantId, String statements) {
        database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n" + statements).then()
                .block(Duration.ofMinutes(5));
    }

    private long count(String tenantId, String query) {
        Long n = database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n" + query)
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofMinutes(2));
        return n == null ? 0 : n;
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
