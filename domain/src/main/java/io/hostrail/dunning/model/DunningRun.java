package io.hostrail.dunning.model;

import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One pass of dunning over a tenant's open invoices, as of an instant. The counts move in the same transactions as the
 * steps they count, so they are exact while it runs and after a crash.
 */
public record DunningRun(UUID id, TenantId tenant, Status status, Trigger trigger, UUID requestedBy, String instanceId,
        Instant asOf, Instant startedAt, Instant heartbeatAt, Instant finishedAt, Progress progress, String lastError) {

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
     * @param invoices   invoices this run took at least one step on
     * @param reminders  reminders sent
     * @param suspended  subscriptions suspended
     * @param terminated subscriptions terminated
     * @param skipped    reminders overtaken by a later one, recorded and not sent
     * @param failed     invoices whose steps failed; the next run tries them again
     */
    public record Progress(int invoices, int reminders, int suspended, int terminated, int skipped, int failed) {

        public static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0);
    }

    public DunningRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(progress, "progress");
    }

    public boolean stalled(Instant now) {
        return status == Status.RUNNING && heartbeatAt.plus(STALLED_AFTER).isBefore(now);
    }
}
