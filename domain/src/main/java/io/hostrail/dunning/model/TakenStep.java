package io.hostrail.dunning.model;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A step recorded on an invoice: taken ({@code DONE}) or passed over ({@code SKIPPED}, a reminder overtaken by a later
 * one). {@code subscriptionIds} are those a suspension or termination changed.
 */
public record TakenStep(UUID invoiceId, DunningStep step, Outcome outcome, Instant dueAt, Instant takenAt, UUID runId,
        List<UUID> subscriptionIds) {

    public enum Outcome {
        DONE, SKIPPED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TakenStep {
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(outcome, "outcome");
        subscriptionIds = List.copyOf(subscriptionIds);
    }
}
