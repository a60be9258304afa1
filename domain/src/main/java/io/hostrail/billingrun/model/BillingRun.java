package io.hostrail.billingrun.model;

import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One pass of the billing run over a tenant's subscriptions, as of an instant: the periods that ended are renewed (or
 * cancelled, when that was scheduled) and every period that starts by the horizon ({@code asOf} plus the tenant's
 * renewal lead days) is invoiced. The counts move in the same transactions as the work they count, so they are exact
 * while it runs and after a crash.
 */
public record BillingRun(UUID id, TenantId tenant, Status status, Trigger trigger, UUID requestedBy, String instanceId,
        Instant asOf, Instant horizon, Instant startedAt, Instant heartbeatAt, Instant finishedAt, Progress progress,
        String lastError) {

    /** A run whose instance went silent this long ago stopped without saying so (the process died). */
    public static final Duration STALLED_AFTER = Duration.ofMinutes(5);

    public enum Status {
        RUNNING, COMPLETED, FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Trigger {
        MANUAL, SCHEDULE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param renewed   subscriptions moved to their next period
     * @param cancelled subscriptions cancelled at the end of their period
     * @param invoiced  periods invoiced
     * @param skipped   periods another run billed first
     * @param failed    subscriptions that could not be billed (see the failures)
     */
    public record Progress(int renewed, int cancelled, int invoiced, int skipped, int failed) {

        public static final Progress NONE = new Progress(0, 0, 0, 0, 0);
    }

    public BillingRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(progress, "progress");
    }

    /** Running, but its instance stopped reporting: it died mid-run; a new run picks up what it left. */
    public boolean stalled(Instant now) {
        return status == Status.RUNNING && heartbeatAt.plus(STALLED_AFTER).isBefore(now);
    }

    public record BillingRunCompleted(UUID aggregateId, String trigger, int renewed, int cancelled, int invoiced,
            int skipped, int failed) implements DomainEvent {

        @Override
        public String type() {
            return "billing_run.completed";
        }
    }
}
