package io.hostrail.payment.model;

import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Money received from a customer: by bank transfer, cash or cheque recorded by staff, or through a payment provider.
 * {@code applied} is the part taken off the invoice it paid; the rest ({@link #toCredit()}) went to the customer's
 * credit, as an overpayment, or all of it when the invoice was no longer payable by the time the money came in. Refunds
 * are paid out of the customer's credit and counted in {@code refunded}.
 *
 * <p>A provider's payment is recorded once: its {@code reference} (a PaymentIntent or capture id) is unique per
 * provider within the tenant.
 */
public record Payment(UUID id, TenantId tenant, UUID customerId, UUID invoiceId, Provider provider, Method method,
        String reference, Money amount, Money applied, Money refunded, boolean disputed, String note,
        Instant receivedAt, Instant createdAt, long version) {

    public static final int MAX_REFERENCE = 200;
    public static final int MAX_NOTE = 500;

    /** Who moved the money: staff by hand, or a payment provider. */
    public enum Provider {
        MANUAL, STRIPE, PAYPAL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Provider fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /** How the money came; the first four are recorded by staff. */
    public enum Method {
        BANK_TRANSFER, CASH, CHEQUE, OTHER, CARD, PAYPAL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean isManual() {
            return this == BANK_TRANSFER || this == CASH || this == CHEQUE || this == OTHER;
        }

        public static Method fromWire(String value) {
            for (Method method : values()) {
                if (method.wireName().equals(value)) {
                    return method;
                }
            }
            throw new IllegalArgumentException("'" + value + "' is not a payment method; use bank_transfer, cash, cheque"
                    + " or other");
        }
    }

    public Payment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(applied, "applied");
        Objects.requireNonNull(refunded, "refunded");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("amount: must be above zero");
        }
        if (!applied.currency().equals(amount.currency()) || !refunded.currency().equals(amount.currency())) {
            throw new IllegalArgumentException("a payment's amounts are in one currency");
        }
        if (applied.isNegative() || applied.compareTo(amount) > 0) {
            throw new IllegalArgumentException("applied: from zero to the amount");
        }
        if (applied.isPositive() && invoiceId == null) {
            throw new IllegalArgumentException("applied: only a payment of an invoice is applied to one");
        }
        if (refunded.isNegative() || refunded.compareTo(amount) > 0) {
            throw new IllegalArgumentException("refunded: from zero to the amount");
        }
        if (provider == Provider.MANUAL != method.isManual()) {
            throw new IllegalArgumentException("method: " + method.wireName() + " is not recorded "
                    + (provider == Provider.MANUAL ? "by hand" : "by " + provider.wireName()));
        }
        if (provider != Provider.MANUAL && (reference == null || reference.isBlank())) {
            throw new IllegalArgumentException("reference: a provider's payment has its id");
        }
        reference = text(reference, "reference", MAX_REFERENCE);
        note = text(note, "note", MAX_NOTE);
    }

    /** A payment just received, of which {@code applied} pays the invoice. */
    public static Payment received(UUID id, TenantId tenant, UUID customerId, UUID invoiceId, Provider provider,
            Method method, String reference, Money amount, Money applied, String note, Instant receivedAt,
            Instant createdAt) {
        return new Payment(id, tenant, customerId, invoiceId, provider, method, reference, amount, applied,
                Money.zero(amount.currency()), false, note, receivedAt, createdAt, 0);
    }

    /** What went to the customer's credit rather than the invoice. */
    public Money toCredit() {
        return amount.minus(applied);
    }

    /** What may still be given back. */
    public Money refundable() {
        return amount.minus(refunded);
    }

    public Status status() {
        if (refunded.isZero()) {
            return Status.SUCCEEDED;
        }
        return refunded.equals(amount) ? Status.REFUNDED : Status.PARTIALLY_REFUNDED;
    }

    /** Where a payment stands; derived from what was refunded. */
    public enum Status {
        SUCCEEDED, PARTIALLY_REFUNDED, REFUNDED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Payment refund(Money amount) {
        Objects.requireNonNull(amount, "amount");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("amount: must be above zero");
        }
        if (amount.compareTo(refundable()) > 0) {
            throw new IllegalArgumentException("amount: at most " + refundable() + " of the payment is left to refund");
        }
        return new Payment(id, tenant, customerId, invoiceId, provider, method, reference, this.amount, applied,
                refunded.plus(amount), disputed, note, receivedAt, createdAt, version);
    }

    public Payment markDisputed() {
        return new Payment(id, tenant, customerId, invoiceId, provider, method, reference, amount, applied, refunded,
                true, note, receivedAt, createdAt, version);
    }

    public Payment withVersion(long newVersion) {
        return new Payment(id, tenant, customerId, invoiceId, provider, method, reference, amount, applied, refunded,
                disputed, note, receivedAt, createdAt, newVersion);
    }

    /**
     * The money in: cash against the receivable it settles (bad debt it recovers, for an invoice written off), and
     * the customer's credit for the rest.
     */
    public LedgerTransaction receivedMovement(UUID transactionId, boolean invoiceWrittenOff) {
        List<LedgerEntry> entries = new ArrayList<>();
        entries.add(LedgerEntry.debit(Account.CASH, customerId, amount));
        if (applied.isPositive()) {
            entries.add(LedgerEntry.credit(invoiceWrittenOff ? Account.BAD_DEBT : Account.ACCOUNTS_RECEIVABLE,
                    customerId, applied));
        }
        if (toCredit().isPositive()) {
            entries.add(LedgerEntry.credit(Account.CUSTOMER_CREDIT, customerId, toCredit()));
        }
        return new LedgerTransaction(transactionId, tenant, "payment_received", customerId, id,
                "Payment " + (reference == null ? id : reference) + " by " + method.wireName(), receivedAt, entries);
    }

    /** The money out: a refund is paid from the customer's credit. */
    public LedgerTransaction refundMovement(UUID transactionId, Money refund, Instant at) {
        return new LedgerTransaction(transactionId, tenant, "payment_refunded", customerId, id,
                "Refund of payment " + (reference == null ? id : reference), at,
                List.of(LedgerEntry.debit(Account.CUSTOMER_CREDIT, customerId, refund),
                        LedgerEntry.credit(Account.CASH, customerId, refund)));
    }

    private static String text(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > max) {
            throw new IllegalArgumentException(field + ": at most " + max + " characters");
        }
        return stripped;
    }
}
