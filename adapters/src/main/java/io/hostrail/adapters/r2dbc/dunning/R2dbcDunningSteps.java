package io.hostrail.adapters.r2dbc.dunning;

import io.hostrail.dunning.model.DunningStep;
import io.hostrail.dunning.model.TakenStep;
import io.hostrail.dunning.port.out.DunningSteps;
import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcDunningSteps implements DunningSteps {

    /** The invoices that billed a subscription: through a line, or through a billed period. */
    private static final String INVOICES_OF_SUBSCRIPTION = """
            SELECT invoice_id FROM invoice_line WHERE tenant_id = :tenant AND subscription_id = :subscription
            UNION SELECT invoice_id FROM subscription_period_invoice
            WHERE tenant_id = :tenant AND subscription_id = :subscription""";

    private final DatabaseClient database;

    public R2dbcDunningSteps(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Flux<UUID> candidates(TenantId tenant, List<DunningStep> steps, Instant now, UUID afterId, int limit) {
        if (steps.isEmpty()) {
            return Flux.empty();
        }
        // The earliest step bounds the due dates worth looking at, so the (tenant, status, due_at) index narrows it.
        int earliest = steps.stream().mapToInt(DunningStep::offsetDays).min().orElseThrow();
        GenericExecuteSpec spec = database.sql("""
                        SELECT i.id FROM invoice i
                        WHERE i.tenant_id = :tenant AND i.status = 'open' AND i.due_at <= :latestDue
                        """ + (afterId == null ? "" : " AND i.id > :after ") + """
                            AND EXISTS (
                                SELECT 1 FROM unnest(:steps::text[], :offsets::integer[]) AS p (step, offset_days)
                                WHERE i.due_at + p.offset_days * interval '1 day' <= :now
                                    AND NOT EXISTS (SELECT 1 FROM dunning_step s
                                        WHERE s.tenant_id = i.tenant_id AND s.invoice_id = i.id AND s.step = p.step))
                        ORDER BY i.id LIMIT :limit
                        """)
                .bind("tenant", tenant.value()).bind("latestDue", now.minus(Duration.ofDays(earliest)))
                .bind("steps", steps.stream().map(DunningStep::key).toArray(String[]::new))
                .bind("offsets", steps.stream().map(DunningStep::offsetDays).toArray(Integer[]::new))
                .bind("now", now).bind("limit", limit);
        return (afterId == null ? spec : spec.bind("after", afterId)).map(row -> row.get("id", UUID.class)).all();
    }

    @Override
    public Mono<Boolean> lockIfOpen(TenantId tenant, UUID invoiceId) {
        return database.sql("""
                        SELECT id FROM invoice WHERE tenant_id = :tenant AND id = :id AND status = 'open'
                        FOR NO KEY UPDATE SKIP LOCKED
                        """)
                .bind("tenant", tenant.value()).bind("id", invoiceId).map(row -> row.get("id", UUID.class)).one()
                .hasElement();
    }

    @Override
    public Flux<TakenStep> taken(TenantId tenant, UUID invoiceId) {
        return database.sql("""
                        SELECT invoice_id, kind, offset_days, outcome, due_at, taken_at, run_id, subscription_ids
                        FROM dunning_step WHERE tenant_id = :tenant AND invoice_id = :invoice
                        ORDER BY due_at, taken_at, step
                        """)
                .bind("tenant", tenant.value()).bind("invoice", invoiceId)
                .map(row -> new TakenStep(row.get("invoice_id", UUID.class),
                        new DunningStep(DunningStep.Kind.fromWire(row.get("kind", String.class)),
                                row.get("offset_days", Integer.class)),
                        TakenStep.Outcome.valueOf(row.get("outcome", String.class).toUpperCase(Locale.ROOT)),
                        row.get("due_at", Instant.class), row.get("taken_at", Instant.class),
                        row.get("run_id", UUID.class), Arrays.asList(row.get("subscription_ids", UUID[].class))))
                .all();
    }

    @Override
    public Mono<Boolean> claim(TenantId tenant, TakenStep step) {
        return database.sql("""
                        INSERT INTO dunning_step (tenant_id, invoice_id, step, kind, offset_days, outcome, due_at, taken_at,
                            run_id, subscription_ids)
                        VALUES (:tenant, :invoice, :step, :kind, :offset, :outcome, :dueAt, :takenAt, :run, :subscriptions)
                        ON CONFLICT (invoice_id, step) DO NOTHING
                        """)
                .bind("tenant", tenant.value()).bind("invoice", step.invoiceId()).bind("step", step.step().key())
                .bind("kind", step.step().kind().wireName()).bind("offset", step.step().offsetDays())
                .bind("outcome", step.outcome().wireName()).bind("dueAt", step.dueAt()).bind("takenAt", step.takenAt())
                .bind("run", step.runId()).bind("subscriptions", step.subscriptionIds().toArray(UUID[]::new))
                .fetch().rowsUpdated().map(inserted -> inserted == 1);
    }

    @Override
    public Flux<UUID> subscriptionsBilledBy(TenantId tenant, UUID invoiceId) {
        return database.sql("""
                        SELECT subscription_id FROM invoice_line
                        WHERE tenant_id = :tenant AND invoice_id = :invoice AND subscription_id IS NOT NULL
                        UNION SELECT subscription_id FROM subscription_period_invoice
                        WHERE tenant_id = :tenant AND invoice_id = :invoice
                        ORDER BY 1
                        """)
                .bind("tenant", tenant.value()).bind("invoice", invoiceId)
                .map(row -> row.get("subscription_id", UUID.class)).all();
    }

    @Override
    public Mono<Void> recordSuspension(TenantId tenant, UUID subscriptionId, UUID invoiceId, Instant suspendedAt) {
        return database.sql("""
                        INSERT INTO dunning_suspension (tenant_id, subscription_id, invoice_id, suspended_at)
                        VALUES (:tenant, :subscription, :invoice, :at)
                        ON CONFLICT (subscription_id, invoice_id)
                        DO UPDATE SET suspended_at = EXCLUDED.suspended_at, released_at = NULL
                        """)
                .bind("tenant", tenant.value()).bind("subscription", subscriptionId).bind("invoice", invoiceId)
                .bind("at", suspendedAt).fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Boolean> suspendedByDunning(TenantId tenant, UUID subscriptionId, Instant suspendedAt) {
        return database.sql("""
                        SELECT EXISTS (SELECT 1 FROM dunning_suspension
                            WHERE tenant_id = :tenant AND subscription_id = :subscription AND suspended_at = :at) AS held
                        """)
                .bind("tenant", tenant.value()).bind("subscription", subscriptionId).bind("at", suspendedAt)
                .map(row -> row.get("held", Boolean.class)).one();
    }

    @Override
    public Flux<UUID> releaseSuspensions(TenantId tenant, UUID invoiceId, Instant at) {
        return database.sql("""
                        UPDATE dunning_suspension SET released_at = :at
                        WHERE tenant_id = :tenant AND invoice_id = :invoice AND released_at IS NULL
                        RETURNING subscription_id
                        """)
                .bind("at", at).bind("tenant", tenant.value()).bind("invoice", invoiceId)
                .map(row -> row.get("subscription_id", UUID.class)).all()
                .sort();
    }

    @Override
    public Mono<Boolean> heldByAnotherInvoice(TenantId tenant, UUID subscriptionId, Instant suspendedAt,
            UUID paidInvoiceId, Instant overdueBefore) {
        GenericExecuteSpec spec = database.sql("""
                        SELECT EXISTS (
                            SELECT 1 FROM dunning_suspension d
                            JOIN invoice i ON i.tenant_id = d.tenant_id AND i.id = d.invoice_id
                            WHERE d.tenant_id = :tenant AND d.subscription_id = :subscription AND d.suspended_at = :at
                                AND d.invoice_id <> :paid AND d.released_at IS NULL AND i.status = 'open')
                        """ + (overdueBefore == null ? "" : """
                        OR EXISTS (
                            SELECT 1 FROM invoice i
                            WHERE i.tenant_id = :tenant AND i.id <> :paid AND i.status = 'open'
                                AND i.due_at <= :overdueBefore AND i.id IN (""" + INVOICES_OF_SUBSCRIPTION + "))")
                        + " AS held")
                .bind("tenant", tenant.value()).bind("subscription", subscriptionId).bind("at", suspendedAt)
                .bind("paid", paidInvoiceId);
        return (overdueBefore == null ? spec : spec.bind("overdueBefore", overdueBefore))
                .map(row -> row.get("held", Boolean.class)).one();
    }
}
