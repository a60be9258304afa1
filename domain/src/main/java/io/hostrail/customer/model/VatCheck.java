package io.hostrail.customer.model;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The check of a customer's EU VAT number that its record keeps: the status, when it was established, and the name
 * the member state has registered for the number (when it discloses one). With VIES checks on, reverse charge needs
 * {@link Status#VALID}.
 */
public record VatCheck(Status status, Instant checkedAt, String registeredName) {

    public enum Status { VALID, INVALID, UNAVAILABLE }

    public VatCheck {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkedAt, "checkedAt");
        registeredName = status != Status.VALID || registeredName == null || registeredName.isBlank()
                ? null : registeredName.strip();
    }

    /** What one outcome says; an unavailable registry is dated when it was asked. */
    public static VatCheck of(VatCheckOutcome outcome, Instant attemptedAt) {
        return switch (outcome) {
            case VatCheckOutcome.Valid valid -> new VatCheck(Status.VALID, valid.checkedAt(), valid.name());
            case VatCheckOutcome.Invalid invalid -> new VatCheck(Status.INVALID, invalid.checkedAt(), null);
            case VatCheckOutcome.Unavailable unavailable -> new VatCheck(Status.UNAVAILABLE, attemptedAt, null);
        };
    }

    /**
     * What to keep after a new attempt on the same number. A registry that cannot answer does not undo the answer it
     * gave before: a number found valid last month does not stop being valid because a member state's system is down
     * today, and an edit of the customer's address during such an outage must not start taxing it.
     */
    public static VatCheck after(VatCheck previous, VatCheckOutcome outcome, Instant attemptedAt) {
        if (outcome instanceof VatCheckOutcome.Unavailable && previous != null && previous.status() != Status.UNAVAILABLE) {
            return previous;
        }
        return of(outcome, attemptedAt);
    }

    public String statusName() {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
