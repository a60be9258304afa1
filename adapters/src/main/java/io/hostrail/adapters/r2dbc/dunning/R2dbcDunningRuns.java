package io.hostrail.adapters.r2dbc.dunning;

import io.hostrail.dunning.model.DunningRun;
import io.hostrail.dunning.model.DunningRun.Progress;
import io.hostrail.dunning.port.out.DunningRuns;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcDunningRuns implements DunningRuns {

    private static final String COLUMNS = """
            id, tenant_id, status, trigger, requested_by, instance_id, as_of, started_at, heartbeat_at, finished_at,
            invoices, reminders, suspended, terminated, skipped, failed, last_error""";

    private final DatabaseClient database;

    public R2dbcDunningRuns(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<DunningRun> insert(DunningRun run) {
        GenericExecuteSpec spec = database.sql("""
                        INSERT INTO dunning_run (id, tenant_id, status, trigger, requested_by, instance_id, as_of,
                            started_at, heartbeat_at)
                        VALUES (:id, :tenant, :status, :trigger, :requestedBy, :instance, :asOf, :startedAt, :startedAt)
                        """)
                .bind("id", run.id()).bind("tenant", run.tenant().value()).bind("status", run.status().wireName())
                .bind("trigger", run.trigger().wireName()).bind("instance", run.instanceId()).bind("asOf", run.asOf())
                .bind("startedAt", run.startedAt());
        spec = run.requestedBy() == null ? spec.bindNull("requestedBy", UUID.class) : spec.bind("requestedBy", run.requestedBy());
        return spec.fetch().rowsUpdated().thenReturn(run);
    }

    @Override
    public Mono<DunningRun> find(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM dunning_run WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcDunningRuns::toRun).one();
    }

    @Override
    public Flux<DunningRun> list(TenantId tenant, UUID beforeId, int limit) {
        GenericExecuteSpec spec = database.sql("SELECT " + COLUMNS + " FROM dunning_run WHERE tenant_id = :tenant"
                        + (beforeId == null ? "" : " AND id < :before") + " ORDER BY id DESC LIMIT :limit")
                .bind("tenant", tenant.value()).bind("limit", limit);
        return (beforeId == null ? spec : spec.bind("before", beforeId)).map(R2dbcDunningRuns::toRun).all();
    }

    @Override
    public Mono<Void> count(TenantId tenant, UUID runId, Progress delta, Instant at) {
        return database.sql("""
                        UPDATE dunning_run SET invoices = invoices + :invoices, reminders = reminders + :reminders,
                            suspended = suspended + :suspended, terminated = terminated + :terminated,
                            skipped = skipped + :skipped, failed = failed + :failed,
                            heartbeat_at = GREATEST(heartbeat_at, :at)
                        WHERE tenant_id = :tenant AND id = :id
                        """)
                .bind("invoices", delta.invoices()).bind("reminders", delta.reminders())
                .bind("suspended", delta.suspended()).bind("terminated", delta.terminated())
                .bind("skipped", delta.skipped()).bind("failed", delta.failed()).bind("at", at)
                .bind("tenant", tenant.value()).bind("id", runId).fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Void> fail(TenantId tenant, UUID runId, String error, Instant at) {
        return database.sql("""
                        UPDATE dunning_run SET failed = failed + 1, last_error = :error,
                            heartbeat_at = GREATEST(heartbeat_at, :at)
                        WHERE tenant_id = :tenant AND id = :id
                        """)
                .bind("error", error).bind("at", at).bind("tenant", tenant.value()).bind("id", runId)
                .fetch().rowsUpdated().then();
    }

    @Override
    public Mono<DunningRun> finish(TenantId tenant, UUID runId, DunningRun.Status status, String lastError, Instant at) {
        GenericExecuteSpec spec = database.sql("""
                        UPDATE dunning_run SET status = :status, finished_at = :at, heartbeat_at = :at,
                            last_error = COALESCE(:error, last_error)
                        WHERE tenant_id = :tenant AND id = :id
                        """)
                .bind("status", status.wireName()).bind("at", at).bind("tenant", tenant.value()).bind("id", runId);
        spec = lastError == null ? spec.bindNull("error", String.class) : spec.bind("error", lastError);
        return spec.fetch().rowsUpdated().then(find(tenant, runId));
    }

    private static DunningRun toRun(Readable row) {
        return new DunningRun(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                DunningRun.Status.valueOf(row.get("status", String.class).toUpperCase(Locale.ROOT)),
                DunningRun.Trigger.valueOf(row.get("trigger", String.class).toUpperCase(Locale.ROOT)),
                row.get("requested_by", UUID.class), row.get("instance_id", String.class), row.get("as_of", Instant.class),
                row.get("started_at", Instant.class), row.get("heartbeat_at", Instant.class),
                row.get("finished_at", Instant.class),
                new Progress(row.get("invoices", Integer.class), row.get("reminders", Integer.class),
                        row.get("suspended", Integer.class), row.get("terminated", Integer.class),
                        row.get("skipped", Integer.class), row.get("failed", Integer.class)),
                row.get("last_error", String.class));
    }
}
