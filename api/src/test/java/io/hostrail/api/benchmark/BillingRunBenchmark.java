package io.hostrail.api.benchmark;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.HostrailApplication;
import io.hostrail.api.support.BillingFixtures;
import io.hostrail.api.support.FakeVies;
import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.billingrun.service.BillingRunService;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.infra.embedded.EmbeddedStackInitializer;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The billing run end to end at scale: N active monthly subscriptions due within the renewal lead days, for N/10
 * customers taxed in Germany (19 %), one customer in a hundred holding credit; one run invoices them all (invoice, line,
 * tax, gapless number, ledger transaction, {@code invoice.finalized} in the outbox, credit applied where there is some).
 * It times the run from its start to its completion, watches the heap meanwhile, checks what was written, and prints a
 * Markdown row for docs/benchmarks.md (also appended to {@code api/target/benchmark/billing-run.md}): date, N, workers
 * × batch size, wall time, subscriptions a second, peak used heap, largest heap left after a collection (which bounds
 * the live set), CPU seconds of this JVM (the application, and the embedded Kafka that the outbox relay publishes to
 * meanwhile) and of PostgreSQL, and the machine's load average before and after. The CPU figures hold even when other
 * work slows the machine down. {@code -Dbenchmark.explain=true} also writes the plans of the hot statements to
 * {@code api/target/benchmark/explain-N.txt}.
 *
 * <p>Not part of the normal suite (the name matches none of surefire's includes); run it with the {@code benchmark}
 * profile, see docs/benchmarks.md. {@code -Dbenchmark.subscriptions=10000,50000,100000} picks the sizes, each in a
 * tenant of its own; {@code -Dbenchmark.batch-size} the subscriptions per transaction and {@code -Dbenchmark.workers}
 * the transactions at once (the application's defaults otherwise, not the tests' tiny batches one at a time). Only
 * correctness is asserted: speed is recorded, never asserted.
 */
// @HostrailIntegrationTest without its test-only consumer (SpineProbe), which would read every event the run publishes:
// the application as it runs in production, on the embedded servers.
@SpringBootTest(classes = HostrailApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hostrail.instance-id=benchmark")
@ActiveProfiles("test")
@ContextConfiguration(initializers = {EmbeddedStackInitializer.class, FakeVies.Initializer.class})
@AutoConfigureWebTestClient(timeout = "30s")
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

    @DynamicPropertySource
    static void billing(DynamicPropertyRegistry properties) {
        properties.add("hostrail.billing.batch-size", BillingRunBenchmark::batchSize);
        properties.add("hostrail.billing.workers", BillingRunBenchmark::workers);
    }

    /**
     * A warm-up run first ({@code -Dbenchmark.warmup}, 20,000 subscriptions unless set; 0 for none), recorded but marked
     * as such: the JIT compiles the billing path and the code it calls, which a server that has been up a while has
     * long done; measured cold, a short run also pays for that compilation.
     */
    @TestFactory
    Stream<DynamicTest> billingRun() {
        int warmup = Integer.getInteger("benchmark.warmup", 20_000);
        Stream<DynamicTest> warm = warmup <= 0 ? Stream.empty()
                : Stream.of(DynamicTest.dynamicTest("warm-up: " + warmup + " subscriptions", () -> measure(warmup, true)));
        return Stream.concat(warm, Arrays.stream(System.getProperty("benchmark.subscriptions", "10000").split(","))
                .map(String::strip).filter(size -> !size.isEmpty()).map(Integer::parseInt)
                .map(size -> DynamicTest.dynamicTest(size + " subscriptions", () -> measure(size, false))));
    }

    /** What a timed run used. */
    private record Measurement(BillingRun run, double seconds, long peakHeap, long peakAfterGc, double jvmCpu,
            double postgresCpu, double loadBefore, double loadAfter) {
    }

    private void measure(int subscriptions, boolean warmup) throws IOException {
        String tenantId = newTenantId();
        long credited = seed(tenantId, subscriptions);
        boolean explain = !warmup && Boolean.getBoolean("benchmark.explain");
        StringBuilder plans = new StringBuilder();
        Map<String, long[]> activityBefore = Map.of();
        if (explain) {
            explainBeforeRun(tenantId, plans);
            activityBefore = tableActivity();
        }

        Measurement measured = time(new TenantId(UUID.fromString(tenantId)));
        // Right after the run: the checks below read the tables too.
        Map<String, long[]> activityAfter = explain ? tableActivity() : Map.of();

        assertThat(measured.run()).isNotNull();
        assertThat(measured.run().status()).as("last error: %s", measured.run().lastError())
                .isEqualTo(BillingRun.Status.COMPLETED);
        assertThat(measured.run().progress()).isEqualTo(new BillingRun.Progress(0, 0, subscriptions, 0, 0));
        verifyWritten(tenantId, subscriptions, credited);
        if (explain) {
            plans.append(activityDuring(activityBefore, activityAfter));
            plans.append(statementStatistics());
            explainAfterRun(tenantId, plans);
            write("explain-" + subscriptions + ".txt", plans.toString(), false);
        }
        String row = String.format(Locale.ROOT,
                "| %s | %,d%s | %d × %d | %.1f s | %,.0f | %d MiB | %d MiB | %.0f s | %.0f s | %.2f → %.2f |",
                LocalDate.now(ZoneOffset.UTC), subscriptions, warmup ? " (warm-up)" : "", workers(), batchSize(),
                measured.seconds(), subscriptions / measured.seconds(), mib(measured.peakHeap()),
                mib(measured.peakAfterGc()), measured.jvmCpu(), measured.postgresCpu(), measured.loadBefore(),
                measured.loadAfter());
        System.out.println("BENCHMARK " + row);
        write("billing-run.md", row + System.lineSeparator(), true);
    }

    private String newTenantId() {
        String tenant = newTenant(bootstrap, PASSWORD);
        String token = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
        String tenantId = (String) http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(token)).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("tenantId");
        post(token, "/api/v1/tax-rules", Map.of("name", "Umsatzsteuer", "country", "DE", "percent", "19"));
        post(token, "/api/v1/products", new HashMap<>(Map.of("kind", "service", "name", "Hosting Pro",
                "prices", List.of(Map.of("cycle", "monthly", "currency", "EUR", "amount", "9.99")))));
        return tenantId;
    }

    /** Set-based, so seeding 100,000 takes seconds; returns how many customers hold credit. */
    private long seed(String tenantId, int subscriptions) {
        BillingFixtures fixtures = new BillingFixtures(database, tenantId);
        String product = fixtures.value("SELECT id FROM product");
        fixtures.customers(Math.max(1, subscriptions / SUBSCRIPTIONS_PER_CUSTOMER), "DE");
        long credited = fixtures.credit(ONE_CUSTOMER_IN_WITH_CREDIT, CREDIT_MINOR);
        fixtures.monthlySubscriptions(product, subscriptions);
        return credited;
    }

    /**
     * A scheduled run of the tenant from its start to its completion, with the heap and the CPU watched. It starts once
     * the outbox relay has published what came before (the warm-up's events), so the run bears the relay's work for
     * its own events only, as it would in steady operation.
     */
    private Measurement time(TenantId tenant) {
        awaitOutboxPublished();
        System.gc();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        ProcessHandle postgres = postmaster();
        Map<Long, Duration> postgresBefore = cpuByProcess(postgres);
        long jvmCpuBefore = os.getProcessCpuTime();
        BillingRun done;
        long elapsedNanos;
        HeapSampler heap = new HeapSampler();
        try (heap) {
            long start = System.nanoTime();
            done = billingRuns.startScheduled(tenant).flatMap(billingRuns::execute).block(Duration.ofMinutes(30));
            elapsedNanos = System.nanoTime() - start;
        }
        return new Measurement(done, elapsedNanos / 1e9, heap.peakUsedBytes(), heap.peakAfterGcBytes(),
                (os.getProcessCpuTime() - jvmCpuBefore) / 1e9, cpuSince(postgres, postgresBefore), loadBefore,
                os.getSystemLoadAverage());
    }

    private void awaitOutboxPublished() {
        Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> database
                .sql("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL").map(row -> row.get("n", Long.class))
                .one().block(Duration.ofSeconds(30)) == 0L);
    }

    private static void write(String name, String text, boolean append) throws IOException {
        Path file = Path.of("target", "benchmark", name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
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

    /** Plans of the locking due-subscription scan on the seeded tables: the first batch, and one halfway through. */
    private void explainBeforeRun(String tenantId, StringBuilder plans) {
        String due = """
                SELECT id, billed_through FROM subscription WHERE tenant_id = '%1$s'
                    AND status IN ('active', 'suspended') AND NOT cancel_at_period_end
                    AND billed_through <= now() + interval '14 days' %2$s
                ORDER BY billed_through, id LIMIT %3$d FOR NO KEY UPDATE SKIP LOCKED
                """;
        plans.append(explain(tenantId, "Due subscriptions, first batch locked", due.formatted(tenantId, "", batchSize())));
        plans.append(explain(tenantId, "Due subscriptions, a batch halfway through locked", due.formatted(tenantId,
                "AND (billed_through, id) > (now() + interval '7 days', '00000000-0000-0000-0000-000000000000')",
                batchSize())));
    }

    /**
     * Plans of the run's hot statements with the tables as the run left them: the credit lookup for a batch's
     * customers, and the triggers and foreign-key checks a batch's ledger entries and invoice lines set off. Each runs in
     * a transaction that is rolled back.
     */
    private void explainAfterRun(String tenantId, StringBuilder plans) {
        plans.append(explain(tenantId, "Credit of a batch's customers", """
                SELECT customer_id, account, currency, sum(debit_minor) AS debits, sum(credit_minor) AS credits
                FROM ledger_entry WHERE tenant_id = '%1$s' AND account = 'customer_credit'
                    AND customer_id = ANY(ARRAY(SELECT id FROM customer WHERE tenant_id = '%1$s' ORDER BY id LIMIT %2$d))
                GROUP BY customer_id, account, currency
                """.formatted(tenantId, Math.max(1, batchSize() / SUBSCRIPTIONS_PER_CUSTOMER))));
        plans.append(explain(tenantId, "A batch's ledger entries, with their balance check and foreign keys", """
                WITH header AS (
                    INSERT INTO ledger_transaction (id, tenant_id, kind, customer_id, description, occurred_at)
                    SELECT uuidv7(), '%1$s', 'invoice_issued', c.id, 'Explained', now()
                    FROM customer c CROSS JOIN generate_series(1, %3$d) WHERE c.tenant_id = '%1$s'
                    LIMIT %2$d RETURNING id, customer_id)
                INSERT INTO ledger_entry (tenant_id, transaction_id, account, customer_id, currency, debit_minor,
                    credit_minor)
                SELECT '%1$s', header.id, side.account, header.customer_id, 'EUR', side.debit, side.credit
                FROM header CROSS JOIN (VALUES ('accounts_receivable', 1189, 0), ('revenue', 0, 999),
                    ('tax_payable', 0, 190)) AS side (account, debit, credit)
                """.formatted(tenantId, batchSize(), SUBSCRIPTIONS_PER_CUSTOMER)));
        plans.append(explain(tenantId, "A batch's invoice lines, with the check that their invoices are drafts", """
                WITH draft AS (
                    INSERT INTO invoice (id, tenant_id, customer_id, status, currency, tax_basis, tax_rounding,
                        subtotal_minor, discount_minor, tax_minor, total_minor, credit_applied_minor, amount_paid_minor,
                        created_at, updated_at, version)
                    SELECT uuidv7(), '%1$s', c.id, 'draft', 'EUR', 'exclusive', 'per_line', 999, 0, 190, 1189, 0, 0,
                        now(), now(), 0
                    FROM customer c CROSS JOIN generate_series(1, %3$d) WHERE c.tenant_id = '%1$s'
                    LIMIT %2$d RETURNING id)
                INSERT INTO invoice_line (id, tenant_id, invoice_id, position, description, quantity, unit_price_minor,
                    discount_minor, net_minor, tax_minor, total_minor)
                SELECT uuidv7(), '%1$s', draft.id, 0, 'Explained', 1, 999, 0, 999, 190, 1189 FROM draft
                """.formatted(tenantId, batchSize(), SUBSCRIPTIONS_PER_CUSTOMER)));
    }

    private static final String[] ACTIVITY = {"seq_scan", "seq_tup_read", "idx_scan", "idx_tup_fetch", "n_tup_ins",
        "n_tup_upd", "n_tup_hot_upd", "n_dead_tup", "autovacuum_count", "autoanalyze_count"};

    /** What PostgreSQL counted per table so far: scans, rows read and written, dead rows, autovacuum and autoanalyze. */
    private Map<String, long[]> tableActivity() {
        // Indexes as "table.index" rows, with their scans and tuples read and fetched in the first columns.
        return database.sql("SELECT relname, " + String.join(", ", ACTIVITY) + " FROM pg_stat_user_tables UNION ALL "
                        + "SELECT relname || '.' || indexrelname, idx_scan, idx_tup_read, 0, idx_tup_fetch, 0, 0, 0, 0, 0, 0"
                        + " FROM pg_stat_user_indexes")
                .map(row -> {
                    long[] values = new long[ACTIVITY.length];
                    for (int i = 0; i < ACTIVITY.length; i++) {
                        Long value = row.get(ACTIVITY[i], Long.class);
                        values[i] = value == null ? 0 : value;
                    }
                    return Map.entry(row.get("relname", String.class), values);
                })
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue).block(Duration.ofSeconds(30));
    }

    /**
     * The statements that took PostgreSQL the most time, nested ones included, when the embedded server was started
     * with {@code -Dhostrail.embedded.postgres.statement-statistics=true}; otherwise nothing.
     */
    private String statementStatistics() {
        if (!Boolean.getBoolean("hostrail.embedded.postgres.statement-statistics")) {
            return "";
        }
        StringBuilder table = new StringBuilder("## Statements by total time (pg_stat_statements, seeding included)\n\n"
                + "| calls | total ms | rows | shared blocks hit | statement |\n|---|---|---|---|---|\n");
        database.sql("SELECT calls, round(total_exec_time) AS total, rows, shared_blks_hit,"
                        + " left(regexp_replace(query, '\\s+', ' ', 'g'), 300) AS query"
                        + " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25")
                .map(row -> "| " + row.get("calls", Long.class) + " | " + row.get("total", java.math.BigDecimal.class)
                        + " | " + row.get("rows", Long.class) + " | " + row.get("shared_blks_hit", Long.class) + " | "
                        + row.get("query", String.class).replace("|", "\\|") + " |\n")
                .all().doOnNext(table::append).then().block(Duration.ofSeconds(30));
        return table.append("\n").toString();
    }

    /** The tables the run touched most, by rows read, with what it did to each (dead rows as they are at the end). */
    private static String activityDuring(Map<String, long[]> before, Map<String, long[]> after) {
        StringBuilder table = new StringBuilder("## Table activity during the run (pg_stat_user_tables)\n\n| table | "
                + String.join(" | ", ACTIVITY) + " |\n|---" + "|---".repeat(ACTIVITY.length) + "|\n");
        after.entrySet().stream()
                .map(entry -> {
                    long[] then = before.getOrDefault(entry.getKey(), new long[ACTIVITY.length]);
                    long[] delta = new long[ACTIVITY.length];
                    for (int i = 0; i < ACTIVITY.length; i++) {
                        delta[i] = ACTIVITY[i].equals("n_dead_tup") ? entry.getValue()[i] : entry.getValue()[i] - then[i];
                    }
                    return Map.entry(entry.getKey(), delta);
                })
                .filter(entry -> entry.getValue()[1] + entry.getValue()[3] + entry.getValue()[4] + entry.getValue()[5] > 0)
                .sorted(java.util.Comparator.comparingLong(entry -> -(entry.getValue()[1] + entry.getValue()[3])))
                .limit(25)
                .forEach(entry -> {
                    table.append("| ").append(entry.getKey());
                    for (long value : entry.getValue()) {
                        table.append(" | ").append(value);
                    }
                    table.append(" |\n");
                });
        return table.append("\n").toString();
    }

    private String explain(String tenantId, String title, String statement) {
        List<String> plan = database.sql("BEGIN;\nSET LOCAL hostrail.tenant_id = '" + tenantId + "';\n"
                        + "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement + ";\nROLLBACK;")
                .map(row -> row.get(0, String.class)).all().collectList().block(Duration.ofMinutes(2));
        return "## " + title + "\n\n" + String.join("\n", plan) + "\n\n";
    }

    private static int batchSize() {
        return Integer.getInteger("benchmark.batch-size", BillingRunService.DEFAULT_BATCH);
    }

    private static int workers() {
        return Integer.getInteger("benchmark.workers", BillingRunService.DEFAULT_WORKERS);
    }

    private Map<?, ?> post(String token, String uri, Object body) {
        return http.post().uri(uri).headers(h -> h.setBearerAuth(token)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
    }

    private long count(String tenantId, String query) {
        return new BillingFixtures(database, tenantId).count(query);
    }

    /** The PostgreSQL server the application uses: the parent of the backend serving this connection. */
    private ProcessHandle postmaster() {
        Integer backend = database.sql("SELECT pg_backend_pid() AS pid").map(row -> row.get("pid", Integer.class)).one()
                .block(Duration.ofSeconds(10));
        return ProcessHandle.of(backend).flatMap(ProcessHandle::parent)
                .orElseThrow(() -> new IllegalStateException("PostgreSQL runs out of sight of this JVM"));
    }

    /** CPU time so far of the server and each of its processes (backends, writers, autovacuum). */
    private static Map<Long, Duration> cpuByProcess(ProcessHandle postmaster) {
        Map<Long, Duration> cpu = new HashMap<>();
        Stream.concat(Stream.of(postmaster), postmaster.descendants()).forEach(process ->
                process.info().totalCpuDuration().ifPresent(used -> cpu.put(process.pid(), used)));
        return cpu;
    }

    /** Seconds of CPU the server used since {@code before}; processes started since count from zero. */
    private static double cpuSince(ProcessHandle postmaster, Map<Long, Duration> before) {
        return cpuByProcess(postmaster).entrySet().stream()
                .mapToLong(now -> now.getValue().minus(before.getOrDefault(now.getKey(), Duration.ZERO)).toMillis())
                .sum() / 1e3;
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
