package io.hostrail.dunning.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which steps of a policy an invoice is due for, as of an instant, given the steps already taken on it. Pure: the run
 * claims what this says before acting on it.
 *
 * <p>Reminders do not pile up: when several fall due together (the run did not run for a while, or the invoice was
 * issued after its first reminder's day), only the latest is sent and the earlier ones are skipped, as is any reminder
 * earlier than one already sent. Payment retries are taken the same way: one charge for the retries fallen due, never
 * one per missed day. Suspending and terminating are never skipped.
 */
public final class DunningSchedule {

    private DunningSchedule() {
    }

    /** The steps to take now and the reminders to record as skipped, each in the order they fell due. */
    public record Plan(List<DunningStep> take, List<DunningStep> skip) {

        public static final Plan NOTHING = new Plan(List.of(), List.of());

        public Plan {
            take = List.copyOf(take);
            skip = List.copyOf(skip);
        }

        public boolean isEmpty() {
            return take.isEmpty() && skip.isEmpty();
        }
    }

    public static Plan plan(DunningPolicy policy, Instant invoiceDue, Set<String> taken, Instant now) {
        Objects.requireNonNull(invoiceDue, "invoiceDue");
        List<DunningStep> due = policy.steps().stream()
                .filter(step -> !step.dueAt(invoiceDue).isAfter(now))
                .toList();
        Set<DunningStep> latest = new HashSet<>();
        for (DunningStep.Kind kind : List.of(DunningStep.Kind.REMINDER, DunningStep.Kind.RETRY)) {
            int latestTaken = policy.steps().stream()
                    .filter(step -> step.kind() == kind && taken.contains(step.key()))
                    .mapToInt(DunningStep::offsetDays).max().orElse(Integer.MIN_VALUE);
            due.stream()
                    .filter(step -> step.kind() == kind && !taken.contains(step.key())
                            && step.offsetDays() > latestTaken)
                    .reduce((earlier, later) -> later)
                    .ifPresent(latest::add);
        }
        List<DunningStep> take = new ArrayList<>();
        List<DunningStep> skip = new ArrayList<>();
        for (DunningStep step : due) {
            if (taken.contains(step.key())) {
                continue;
            }
            if (!step.collapses() || latest.contains(step)) {
                take.add(step);
            } else {
                skip.add(step);
            }
        }
        return new Plan(take, skip);
    }

    /** The steps not taken yet that fall due after {@code now}, with when, in order. */
    public static List<Upcoming> upcoming(DunningPolicy policy, Instant invoiceDue, Set<String> taken, Instant now) {
        return policy.steps().stream()
                .filter(step -> !taken.contains(step.key()) && step.dueAt(invoiceDue).isAfter(now))
                .map(step -> new Upcoming(step, step.dueAt(invoiceDue)))
                .toList();
    }

    public record Upcoming(DunningStep step, Instant dueAt) {
    }
}
