package io.hostrail.adapters.r2dbc.dunning;

import io.hostrail.dunning.model.DunningPolicy;
import io.hostrail.dunning.port.out.DunningPolicies;
import io.hostrail.shared.model.TenantId;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Mono;

public final class R2dbcDunningPolicies implements DunningPolicies {

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcDunningPolicies(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<DunningPolicy> find(TenantId tenant) {
        return database.sql("""
                        SELECT tenant_id, reminder_offsets, retry_days, suspend_after_days, terminate_after_days, version
                        FROM dunning_policy WHERE tenant_id = :tenant
                        """)
                .bind("tenant", tenant.value())
                .map(row -> new DunningPolicy(new TenantId(row.get("tenant_id", UUID.class)),
                        Arrays.asList(row.get("reminder_offsets", Integer[].class)),
                        Arrays.asList(row.get("retry_days", Integer[].class)),
                        row.get("suspend_after_days", Integer.class), row.get("terminate_after_days", Integer.class),
                        row.get("version", Long.class)))
                .one();
    }

    @Override
    public Mono<DunningPolicy> save(DunningPolicy policy, long expectedVersion) {
        GenericExecuteSpec spec = database.sql("""
                        INSERT INTO dunning_policy (tenant_id, reminder_offsets, retry_days, suspend_after_days,
                            terminate_after_days, updated_at, version)
                        VALUES (:tenant, :reminders, :retries, :suspend, :terminate, :now, 1)
                        ON CONFLICT (tenant_id) DO UPDATE SET reminder_offsets = EXCLUDED.reminder_offsets,
                            retry_days = EXCLUDED.retry_days, suspend_after_days = EXCLUDED.suspend_after_days,
                            terminate_after_days = EXCLUDED.terminate_after_days, updated_at = EXCLUDED.updated_at,
                            version = dunning_policy.version + 1
                        WHERE dunning_policy.version = :expected
                        """)
                .bind("tenant", policy.tenant().value())
                .bind("reminders", policy.reminderOffsets().toArray(Integer[]::new))
                .bind("retries", policy.retryDays().toArray(Integer[]::new))
                .bind("now", clock.instant()).bind("expected", expectedVersion);
        spec = policy.suspendAfterDays() == null ? spec.bindNull("suspend", Integer.class)
                : spec.bind("suspend", policy.suspendAfterDays());
        spec = policy.terminateAfterDays() == null ? spec.bindNull("terminate", Integer.class)
                : spec.bind("terminate", policy.terminateAfterDays());
        // A first save must expect version 0; the insert then succeeds only when no row existed.
        return spec.fetch().rowsUpdated().filter(saved -> saved == 1)
                .flatMap(saved -> find(policy.tenant()))
                .filter(saved -> saved.version() == expectedVersion + 1);
    }
}
