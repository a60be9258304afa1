package io.hostrail.dunning.model;

import io.hostrail.shared.model.TenantId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a tenant does about an unpaid invoice, in whole days relative to its due date: reminders (negative days before
 * it, 0 on the day, positive after), charge retries on the customer's saved payment method (stored for when saved
 * methods are wired; no step acts on them yet), suspending its subscriptions {@code suspendAfterDays} after the due
 * date and terminating them {@code terminateAfterDays} after it. Null means never.
 */
public record DunningPolicy(TenantId tenant, List<Integer> reminderOffsets, List<Integer> retryDays,
        Integer suspendAfterDays, Integer terminateAfterDays, long version) {

    public static final int MAX_REMINDERS = 10;
    public static final int MAX_RETRIES = 10;
    public static final int EARLIEST_REMINDER = -60;
    public static final int LATEST_REMINDER = 365;
    public static final int MAX_RETRY_DAY = 60;
    public static final int MAX_SUSPEND_DAYS = 365;
    public static final int MAX_TERMINATE_DAYS = 730;

    public DunningPolicy {
        Objects.requireNonNull(tenant, "tenant");
        reminderOffsets = ascendingDistinct("reminderOffsets", reminderOffsets, MAX_REMINDERS, EARLIEST_REMINDER,
                LATEST_REMINDER);
        retryDays = ascendingDistinct("retryDays", retryDays, MAX_RETRIES, 1, MAX_RETRY_DAY);
        if (suspendAfterDays != null && (suspendAfterDays < 0 || suspendAfterDays > MAX_SUSPEND_DAYS)) {
            throw new IllegalArgumentException("suspendAfterDays: from 0 to " + MAX_SUSPEND_DAYS + ", or null for never");
        }
        if (terminateAfterDays != null && (terminateAfterDays < 1 || terminateAfterDays > MAX_TERMINATE_DAYS)) {
            throw new IllegalArgumentException("terminateAfterDays: from 1 to " + MAX_TERMINATE_DAYS
                    + ", or null for never");
        }
        if (suspendAfterDays != null && terminateAfterDays != null && terminateAfterDays <= suspendAfterDays) {
            throw new IllegalArgumentException("terminateAfterDays: must be more than suspendAfterDays");
        }
    }

    /**
     * Reminders three days before the due date, on it, and three days, a week and two weeks after; suspension two weeks after it;
     * termination never, since it destroys the customer's service and a tenant should choose it.
     */
    public static DunningPolicy defaults(TenantId tenant) {
        return new DunningPolicy(tenant, List.of(-3, 0, 3, 7, 14), List.of(1, 3, 5, 7), 14, null, 0);
    }

    /** Every step the policy takes, in the order they fall due; at the same day, reminders first, then retries. */
    public List<DunningStep> steps() {
        List<DunningStep> steps = new ArrayList<>();
        reminderOffsets.forEach(offset -> steps.add(DunningStep.reminder(offset)));
        retryDays.forEach(day -> steps.add(DunningStep.retry(day)));
        if (suspendAfterDays != null) {
            steps.add(new DunningStep(DunningStep.Kind.SUSPEND, suspendAfterDays));
        }
        if (terminateAfterDays != null) {
            steps.add(new DunningStep(DunningStep.Kind.TERMINATE, terminateAfterDays));
        }
        steps.sort(java.util.Comparator.comparingInt(DunningStep::offsetDays)
                .thenComparing(DunningStep::kind));
        return List.copyOf(steps);
    }

    private static List<Integer> ascendingDistinct(String field, List<Integer> values, int max, int lowest, int highest) {
        if (values == null) {
            throw new IllegalArgumentException(field + ": is required (an empty list for none)");
        }
        if (values.size() > max) {
            throw new IllegalArgumentException(field + ": at most " + max + " days");
        }
        HashSet<Integer> seen = new HashSet<>();
        for (Integer value : values) {
            if (value == null || value < lowest || value > highest) {
                throw new IllegalArgumentException(field + ": each day from " + lowest + " to " + highest);
            }
            if (!seen.add(value)) {
                throw new IllegalArgumentException(field + ": day " + value + " is listed twice");
            }
        }
        return values.stream().sorted().toList();
    }
}
