package io.hostrail.payment.model;

import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One try at taking an invoice's money through a provider, recorded before the provider is called, so that whatever
 * happens to the call (an answer lost, the process killed between the charge and its record) the attempt is there to
 * be followed up. Its id keys every request to the provider, so asking again can never charge twice.
 *
 * <p>{@code started}, {@code pending} and {@code unknown} are open: each has a {@code nextCheckAt} when the attempt
 * janitor asks the provider where it stands. {@code succeeded}, {@code declined} and {@code abandoned} are final;
 * {@code unresolved} is where an attempt the provider never answered about ends (the dead letter), for staff to
 * check again.
 *
 * @param reference      the provider's payment: Stripe's PaymentIntent, PayPal's order; null until an answer gave one
 * @param paymentId      the payment recorded when it succeeded
 * @param declineCode    the provider's code when declined, or what was last wrong while it is unknown
 * @param checks         how often the attempt janitor has taken it up to ask the provider
 */
public record PaymentAttempt(UUID id, TenantId tenant, UUID invoiceId, UUID customerId, Payment.Provider provider,
        Purpose purpose, Money amount, String paymentMethodReference, Status status, String reference,
        UUID paymentId, String declineCode, String declineMessage, int checks, Instant nextCheckAt,
        Instant createdAt, Instant updatedAt, long version) {

    /** How long after its start an attempt the payer never finished is given up. */
    public static final Duration PAYER_WINDOW = Duration.ofHours(24);
    /** Checks of an unanswered attempt before it is left for staff. */
    public static final int MAX_CHECKS = 12;

    public enum Status {
        STARTED, PENDING, UNKNOWN, SUCCEEDED, DECLINED, ABANDONED, UNRESOLVED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean isOpen() {
            return this == STARTED || this == PENDING || this == UNKNOWN;
        }

        public static Status fromWire(String value) {
            for (Status status : values()) {
                if (status.wireName().equals(value)) {
                    return status;
                }
            }
            throw new IllegalArgumentException("'" + value + "' is not an attempt status; use started, pending, "
                    + "unknown, succeeded, declined, abandoned or unresolved");
        }
    }

    /** Why it was made: the payer at checkout, or Hostrail charging a saved method (a renewal, a dunning retry, staff). */
    public enum Purpose {
        CHECKOUT, OFF_SESSION;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Purpose fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    public PaymentAttempt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(status, "status");
        if (provider == Payment.Provider.MANUAL) {
            throw new IllegalArgumentException("manual payments are recorded, not attempted");
        }
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("an attempt is for a positive amount");
        }
        if (status.isOpen() != (nextCheckAt != null)) {
            throw new IllegalArgumentException("open attempts, and only they, have a next check");
        }
    }

    /** A new attempt, recorded before its first call; checked soon in case that call's answer never arrives. */
    public static PaymentAttempt start(UUID id, TenantId tenant, UUID invoiceId, UUID customerId,
            Payment.Provider provider, Purpose purpose, Money amount, String paymentMethodReference, Instant now) {
        return new PaymentAttempt(id, tenant, invoiceId, customerId, provider, purpose, amount, paymentMethodReference,
                Status.STARTED, null, null, null, null, 0, now.plus(firstCheckAfter()), now, now, 0);
    }

    /** Long enough for the call itself and Stripe's search to find what it made (it may lag up to a minute). */
    public static Duration firstCheckAfter() {
        return Duration.ofMinutes(2);
    }

    /** The provider's answer (or its absence) applied: where the attempt stands next and when it is checked again. */
    public PaymentAttempt after(PaymentOutcome outcome, Instant now) {
        return switch (outcome) {
            case PaymentOutcome.Succeeded succeeded -> with(Status.SUCCEEDED, referenceOr(succeeded.reference()), null, null,
                    null, now);
            case PaymentOutcome.Declined declined -> with(Status.DECLINED, referenceOr(declined.reference()),
                    declined.code(), declined.message(), null, now);
            case PaymentOutcome.Pending pending -> {
                if (!now.isBefore(createdAt.plus(PAYER_WINDOW))) {
                    yield with(Status.ABANDONED, referenceOr(pending.reference()), "payer_did_not_finish",
                            "the payer did not finish within " + PAYER_WINDOW.toHours() + " h", null, now);
                }
                yield with(Status.PENDING, referenceOr(pending.reference()), null, null, now.plus(backoff()), now);
            }
            case PaymentOutcome.Unknown unknown -> checks >= MAX_CHECKS
                    ? with(Status.UNRESOLVED, referenceOr(unknown.reference()), unknown.reason(),
                            "the provider did not answer after " + MAX_CHECKS + " checks", null, now)
                    : with(Status.UNKNOWN, referenceOr(unknown.reference()), unknown.reason(), null,
                            now.plus(backoff()), now);
        };
    }

    /** Nothing was created at the provider for this attempt: it took no money, for good. */
    public PaymentAttempt notCreated(Instant now) {
        return with(Status.DECLINED, reference, "not_created", "the provider has no payment for this attempt", null,
                now);
    }

    /** Staff asked for a check of an attempt left unresolved: it is open again, checked at once. */
    public PaymentAttempt reopened(Instant now) {
        return new PaymentAttempt(id, tenant, invoiceId, customerId, provider, purpose, amount, paymentMethodReference,
                Status.UNKNOWN, reference, paymentId, declineCode, declineMessage, 0, now, createdAt, now, version);
    }

    public PaymentAttempt withPayment(UUID payment) {
        return new PaymentAttempt(id, tenant, invoiceId, customerId, provider, purpose, amount, paymentMethodReference,
                status, reference, payment, declineCode, declineMessage, checks, nextCheckAt, createdAt, updatedAt,
                version);
    }

    /** 30 s after the call, doubling with each check to at most an hour. */
    Duration backoff() {
        Duration doubled = Duration.ofSeconds(30L << Math.min(checks, 7));
        return doubled.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : doubled;
    }

    private String referenceOr(String given) {
        return reference != null ? reference : given;
    }

    private PaymentAttempt with(Status next, String nextReference, String code, String message, Instant nextCheck,
            Instant now) {
        return new PaymentAttempt(id, tenant, invoiceId, customerId, provider, purpose, amount, paymentMethodReference,
                next, nextReference, paymentId, code, message, checks, nextCheck, createdAt, now, version);
    }
}
