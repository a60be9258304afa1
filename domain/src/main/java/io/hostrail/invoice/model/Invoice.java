package io.hostrail.invoice.model;

import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;
import java.util.UUID;

/**
 * What a customer is asked to pay. A draft can be changed freely; finalizing numbers it, enters it in the ledger and
 * freezes its lines and figures for good. After that only what was settled on it and its status move: credit applied,
 * payments and credit notes lower the amount due, and an open invoice with nothing left due is paid.
 *
 * <p>{@code credited} is the part of its credit notes that was taken off the amount due; the rest of a credit note
 * (what had already been paid) went to the customer's credit balance and is not counted here, so credit applied,
 * amount paid and credited together never exceed the total.
 */
public record Invoice(UUID id, TenantId tenant, UUID customerId, String number, InvoiceStatus status, Currency currency,
        InvoicePricing pricing, Money creditApplied, Money amountPaid, Money credited, String memo, Instant issuedAt,
        Instant dueAt, Instant paidAt, Instant closedAt, Instant createdAt, long version) {

    public static final int MAX_MEMO = 2000;

    public Invoice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!pricing.total().currency().equals(currency)) {
            throw new IllegalArgumentException("the pricing must be in the invoice's currency");
        }
        creditApplied = creditApplied == null ? Money.zero(currency) : creditApplied;
        amountPaid = amountPaid == null ? Money.zero(currency) : amountPaid;
        credited = credited == null ? Money.zero(currency) : credited;
        if (creditApplied.isNegative() || amountPaid.isNegative() || credited.isNegative()) {
            throw new IllegalArgumentException("credit applied, amount paid and credited cannot be negative");
        }
        if (creditApplied.plus(amountPaid).plus(credited).compareTo(pricing.total()) > 0) {
            throw new IllegalArgumentException("more was settled than the invoice's total");
        }
        if (status.isFinalized() != (number != null)) {
            throw new IllegalArgumentException("an invoice has a number exactly when it is finalized");
        }
        if (memo != null && memo.length() > MAX_MEMO) {
            throw new IllegalArgumentException("memo: at most " + MAX_MEMO + " characters");
        }
        if (dueAt != null && issuedAt != null && dueAt.isBefore(issuedAt)) {
            throw new IllegalArgumentException("dueAt: cannot be before the invoice is issued");
        }
    }

    public static Invoice draft(UUID id, TenantId tenant, UUID customerId, Currency currency, InvoicePricing pricing,
            String memo, Instant dueAt, Instant createdAt) {
        return new Invoice(id, tenant, customerId, null, InvoiceStatus.DRAFT, currency, pricing, null, null, null, memo,
                null, dueAt, null, null, createdAt, 0);
    }

    public Money amountDue() {
        return pricing.total().minus(creditApplied).minus(amountPaid).minus(credited);
    }

    public Invoice repriced(InvoicePricing newPricing, String newMemo, Instant newDueAt) {
        requireStatus(InvoiceStatus.DRAFT, "changed");
        return new Invoice(id, tenant, customerId, null, status, currency, newPricing, null, null, null, newMemo, null,
                newDueAt, null, null, createdAt, version);
    }

    /**
     * Numbers and issues a draft; its due date is the one set on the draft, or the issue date. Nothing due (a free
     * order, a full discount) means it is paid as it is issued.
     */
    public Invoice finalized(String assignedNumber, InvoicePricing finalPricing, Instant at) {
        requireStatus(InvoiceStatus.DRAFT, "finalized");
        Objects.requireNonNull(assignedNumber, "number");
        Instant due = dueAt == null || dueAt.isBefore(at) ? at : dueAt;
        boolean free = finalPricing.total().isZero();
        return new Invoice(id, tenant, customerId, assignedNumber, free ? InvoiceStatus.PAID : InvoiceStatus.OPEN,
                currency, finalPricing, null, null, null, memo, at, due, free ? at : null, null, createdAt, version);
    }

    /** Takes credit off the amount due; paid once nothing is left. */
    public Invoice creditApplied(Money credit, Instant at) {
        requirePayable();
        Money applied = creditApplied.plus(credit);
        return withPaid(applied, amountPaid, credited, at);
    }

    public Invoice paymentReceived(Money payment, Instant at) {
        requirePayable();
        return withPaid(creditApplied, amountPaid.plus(payment), credited, at);
    }

    /**
     * Whether credit notes may be issued on it: finalized and not void. A paid invoice can still be refunded by one,
     * and a written-off one corrected.
     */
    public boolean isCreditable() {
        return status == InvoiceStatus.OPEN || status == InvoiceStatus.PAID || status == InvoiceStatus.UNCOLLECTIBLE;
    }

    /**
     * Takes the part of a credit note that reduces what is due off the amount due. An open invoice with nothing left
     * due becomes paid, as it would by credit or payment: it is settled, and {@code invoice.paid} is what tells the
     * rest of the system so. A written-off one stays uncollectible, which already closed it; a paid one has nothing
     * due, so nothing of a credit note reaches it.
     */
    public Invoice credited(Money amount, Instant at) {
        if (!isCreditable()) {
            throw new IllegalStateException("a " + status.wireName() + " invoice cannot be credited");
        }
        if (amount.isNegative() || amount.compareTo(amountDue()) > 0) {
            throw new IllegalArgumentException("at most the amount due, " + amountDue() + ", can be credited");
        }
        if (status == InvoiceStatus.OPEN) {
            return withPaid(creditApplied, amountPaid, credited.plus(amount), at);
        }
        return new Invoice(id, tenant, customerId, number, status, currency, pricing, creditApplied, amountPaid,
                credited.plus(amount), memo, issuedAt, dueAt, paidAt, closedAt, createdAt, version);
    }

    public Invoice voided(Instant at) {
        requireStatus(InvoiceStatus.OPEN, "voided");
        if (amountPaid.isPositive()) {
            throw new IllegalStateException("invoice " + number + " has payments; correct it with a credit note instead");
        }
        // Voiding reverses the whole invoice; part of it was already reversed by credit notes, which stay.
        if (credited.isPositive()) {
            throw new IllegalStateException("invoice " + number + " has credit notes; credit what is left instead");
        }
        return new Invoice(id, tenant, customerId, number, InvoiceStatus.VOID, currency, pricing, creditApplied, amountPaid,
                credited, memo, issuedAt, dueAt, null, at, createdAt, version);
    }

    public Invoice markedUncollectible(Instant at) {
        requireStatus(InvoiceStatus.OPEN, "marked uncollectible");
        return new Invoice(id, tenant, customerId, number, InvoiceStatus.UNCOLLECTIBLE, currency, pricing, creditApplied,
                amountPaid, credited, memo, issuedAt, dueAt, null, at, createdAt, version);
    }

    private Invoice withPaid(Money credit, Money paid, Money creditNotes, Instant at) {
        Invoice next = new Invoice(id, tenant, customerId, number, status, currency, pricing, credit, paid, creditNotes,
                memo, issuedAt, dueAt, null, closedAt, createdAt, version);
        return next.amountDue().isZero()
                ? new Invoice(id, tenant, customerId, number, InvoiceStatus.PAID, currency, pricing, credit, paid,
                        creditNotes, memo, issuedAt, dueAt, at, closedAt, createdAt, version)
                : next;
    }

    private void requirePayable() {
        if (status != InvoiceStatus.OPEN && status != InvoiceStatus.UNCOLLECTIBLE) {
            throw new IllegalStateException("invoice is " + status.wireName() + "; only open or uncollectible invoices are paid");
        }
    }

    private void requireStatus(InvoiceStatus wanted, String action) {
        if (status != wanted) {
            throw new IllegalStateException("a " + status.wireName() + " invoice cannot be " + action
                    + "; only a " + wanted.wireName() + " one");
        }
    }
}
