package io.hostrail.adapters.r2dbc.billingrun;

import io.hostrail.billingrun.model.BillingRun;
import io.hostrail.billingrun.model.BillingRun.Progress;
import io.hostrail.billingrun.port.out.BillingRuns;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcBillingRuns implements BillingRuns {

    private static final String COLUMNS = """
            id, tenant_id, status, trigger, requested_by, instance_id, as_of, horizon, started_at, heartbeat_at,
            finished_at, renewed, cancelled, invoiced, skipped, failed, last_error""";

    private final DatabaseClient database;

    public R2dbcBillingRuns(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<BillingRun> insert(BillingRun run) {
        GenericExecuteSpec spec = database.sql("""
                        INSERT INTO billing_run (id, tenant_id, status, trigger, requested_by, instance_id, as_of, horizon,
                            started_at, heartbeat_at)
                        VALUES (:id, :tenant, :status, :trigger, :requestedBy, :instance, :asOf, :horizon, :startedAt,
                            :startedAt)
                        """)
                .bind("id", run.id()).bind("tenant", run.tenant().value()).bind("status", run.status().wireName())
                .bind("trigger", run.trigger().wireName()).bind("instance", run.instanceId()).bind("asOf", run.asOf())
                .bind("horizon", run.horizon()).bind("startedAt", run.startedAt());
        spec = run.requestedBy() == null ? spec.bindNull("requestedBy", UUID.class) : spec.bind("requestedBy", run.requestedBy());
        return spec.fetch().rowsUpdated().thenReturn(run);
    }

    @Override
    public Mono<BillingRun> find(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM billing_run WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcBillingRuns::toRun).one();
    }

    @Override
    public Flux<BillingRun> list(TenantId tenant, UUID beforeId, int limit) {
        GenericExecuteSpec spec = database.sql("SELECT " + COLUMNS + " FROM billing_run WHERE tenant_id = :tenant"
                        + (beforeId == null ? "" : " AND id < :before") + " ORDER BY id DESC LIMIT :limit")
                .bind("tenant", tenant.value()).bind("limit", limit);
        return (beforeId == null ? spec : spec.bind("before", beforeId)).map(R2dbcBillingRuns::toRun).all();
    }

    @Override
    public Mono<Void> count(TenantId tenant, UUID runId, Progress delta, Instant at) {
        return database.sql("""
                        UPDATE billing_run SET renewed = renewed + :renewed, cancelled = cancelled + :cancelled,
                            invoiced = invoiced + :invoiced, skipped = skipped + :skipped, failed = failed + :failed,
                            heartbeat_at = GREATEST(heartbeat_at, :at)
                        WHERE tenant_id = :tenant AND id = :id
                        """)
                .bind("renewed", delta.renewed()).bind("cancelled", delta.cancelled()).bind("invoiced", delta.invoiced())
                .bind("skipped", delta.skipped()).bind("failed", delta.failed()).bind("at", at)
                .bind("tenant", tenant.value()).bind("id", runId).fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Void> fail(TenantId tenant, UUID runId, UUID subscriptionId, String error, Instant at) {
        return database.sql("""
                        INSERT INTO billing_run_failure (tenant_id, run_id, subscription_id, error, occurred_at)
                        VALUES (:tenant, :run, :subscription, :error, :at)
                        """)
                .bind("tenant", tenant.value()).bind("run", runId).bind("subscription", subscriptionId)
                .bind("error", error).bind("at", at).fetch().rowsUpdated().then();
    }

    @Override
    public Mono<BillingRun> finish(TenantId tenant, UUID runId, BillingRun.Status status, String lastError, Instant at) {
        GenericExecuteSpec spec = database.sql("""
                        UPDATE billing_run SET status = :status, finished_at = :at, heartbeat_at = :at, last_error = :error
                        WHERE tenant_id = :tenant AND id = :id
                        """)
                .bind("status", status.wireName()).bind("at", at).bind("tenant", tenant.value()).bind("id", runId);
        spec = lastError == null ? spec.bindNull("error", String.class) : spec.bind("error", lastError);
        return spec.fetch().rowsUpdated().then(find(tenant, runId));
    }

    @Override
    public Flux<Failure> failures(TenantId tenant, UUID runId, int limit) {
        return database.sql("""
                        SELECT subscription_id, error, occurred_at FROM billing_run_failure
                        WHERE tenant_id = :tenant AND run_id = :run ORDER BY id LIMIT :limit
                        """)
                .bind("tenant", tenant.value()).bind("run", runId).bind("limit", limit)
                .map(row -> new Failure(row.get("subscription_id", UUID.class), row.get("error", String.class),
                        row.get("occurred_at", Instant.class)))
                .all();
    }

    private static BillingRun toRun(Readable row) {
        return new BillingRun(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                BillingRun.Status.valueOf(row.get("status", String.class).toUpperCase(Locale.ROOT)),
                BillingRun.Trigger.valueOf(row.get("trigger", String.class).toUpperCase(Locale.ROOT)),
                row.get("requested_by", UUID.class), row.get("instance_id", String.class), row.get("as_of", Instant.class),
                row.get("horizon", Instant.class), row.get("started_at", Instant.class),
                row.get("heartbeat_at", Instant.class), row.get("finished_at", Instant.class),
                new Progress(row.get("renewed", Integer.class), row.get("cancelled", Integer.class),
                        row.get("invoiced", Integer.class), row.get("skipped", Integer.class),
                        row.get("failed", Integer.class)),
                row.get("last_error", String.class));
    }
}
