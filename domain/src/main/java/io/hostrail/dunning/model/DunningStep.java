package io.hostrail.dunning.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One step of a dunning schedule, {@code offsetDays} whole days after an invoice's due date (before it when negative):
 * a payment reminder, a retry of the payment on the customer's saved method, or suspending or terminating what the
 * invoice billed. Its {@link #key()} names it on the
 * invoice, so each step is taken at most once per invoice; suspending and terminating have one key each whatever their
 * day, so a policy changed after the fact never does either twice.
 */
public record DunningStep(Kind kind, int offsetDays) {

    public enum Kind {
        REMINDER, RETRY, SUSPEND, TERMINATE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /** What a reminder says about the due date. */
    public enum ReminderKind {
        BEFORE_DUE, DUE, OVERDUE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DunningStep {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.REMINDER && offsetDays < 0) {
            throw new IllegalArgumentException("offsetDays: only reminders come before the due date");
        }
        if (kind == Kind.RETRY && offsetDays < 1) {
            throw new IllegalArgumentException("offsetDays: a payment is retried from the day after the due date");
        }
    }

    public static DunningStep reminder(int offsetDays) {
        return new DunningStep(Kind.REMINDER, offsetDays);
    }

    public static DunningStep retry(int offsetDays) {
        return new DunningStep(Kind.RETRY, offsetDays);
    }

    /** Reminders and retries are many per invoice; when several fall due at once, only the latest is taken. */
    public boolean collapses() {
        return kind == Kind.REMINDER || kind == Kind.RETRY;
    }

    public String key() {
        return switch (kind) {
            case REMINDER, RETRY -> kind.wireName() + ":" + offsetDays;
            case SUSPEND, TERMINATE -> kind.wireName();
        };
    }

    /** When the step falls due for an invoice due at {@code invoiceDue}. */
    public Instant dueAt(Instant invoiceDue) {
        return invoiceDue.plus(Duration.ofDays(offsetDays));
    }

    public ReminderKind reminderKind() {
        return offsetDays < 0 ? ReminderKind.BEFORE_DUE : offsetDays == 0 ? ReminderKind.DUE : ReminderKind.OVERDUE;
    }
}
