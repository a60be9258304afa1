package io.hostrail.invoice.model;

import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.shared.model.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ledger movements of an invoice's life, each computed from the invoice as it was just before: what issuing,
 * spending credit on it, voiding and writing it off move between accounts. Empty where nothing moves (a free invoice).
 * Credit notes record their own ({@link CreditNote#movement}).
 */
public final class InvoiceMovements {

    private InvoiceMovements() {
    }

    /** Receivable for the total, against revenue (the subtotal) and tax payable (the tax). */
    public static Optional<LedgerTransaction> issued(Invoice invoice, UUID transactionId, Instant at) {
        List<LedgerEntry> entries = new ArrayList<>();
        debit(entries, Account.ACCOUNTS_RECEIVABLE, invoice, invoice.pricing().total());
        credit(entries, Account.REVENUE, invoice, invoice.pricing().subtotal());
        credit(entries, Account.TAX_PAYABLE, invoice, invoice.pricing().taxTotal());
        return movement(invoice, transactionId, "invoice_issued", "Invoice " + invoice.number(), at, entries);
    }

    /** Credit spent on the invoice; on a written-off one it recovers bad debt rather than the receivable. */
    public static LedgerTransaction creditApplied(Invoice before, Money amount, UUID transactionId, Instant at) {
        Account settles = before.status() == InvoiceStatus.UNCOLLECTIBLE ? Account.BAD_DEBT : Account.ACCOUNTS_RECEIVABLE;
        return new LedgerTransaction(transactionId, before.tenant(), "credit_applied", before.customerId(), before.id(),
                "Credit applied to invoice " + before.number(), at,
                List.of(LedgerEntry.debit(Account.CUSTOMER_CREDIT, before.customerId(), amount),
                        LedgerEntry.credit(settles, before.customerId(), amount)));
    }

    /** The issue reversed: what was still due leaves the receivable, and credit spent on it goes back. */
    public static Optional<LedgerTransaction> voided(Invoice before, UUID transactionId, Instant at) {
        List<LedgerEntry> entries = new ArrayList<>();
        debit(entries, Account.REVENUE, before, before.pricing().subtotal());
        debit(entries, Account.TAX_PAYABLE, before, before.pricing().taxTotal());
        credit(entries, Account.ACCOUNTS_RECEIVABLE, before, before.amountDue());
        credit(entries, Account.CUSTOMER_CREDIT, before, before.creditApplied());
        return movement(before, transactionId, "invoice_voided", "Voided invoice " + before.number(), at, entries);
    }

    /** What is still due moves from the receivable to bad debt. */
    public static Optional<LedgerTransaction> writtenOff(Invoice before, UUID transactionId, Instant at) {
        List<LedgerEntry> entries = new ArrayList<>();
        debit(entries, Account.BAD_DEBT, before, before.amountDue());
        credit(entries, Account.ACCOUNTS_RECEIVABLE, before, before.amountDue());
        return movement(before, transactionId, "invoice_written_off", "Wrote off invoice " + before.number(), at,
                entries);
    }

    private static Optional<LedgerTransaction> movement(Invoice invoice, UUID transactionId, String kind,
            String description, Instant at, List<LedgerEntry> entries) {
        return entries.isEmpty() ? Optional.empty() : Optional.of(new LedgerTransaction(transactionId, invoice.tenant(),
                kind, invoice.customerId(), invoice.id(), description, at, entries));
    }

    private static void debit(List<LedgerEntry> entries, Account account, Invoice invoice, Money amount) {
        if (amount.isPositive()) {
            entries.add(LedgerEntry.debit(account, invoice.customerId(), amount));
        }
    }

    private static void credit(List<LedgerEntry> entries, Account account, Invoice invoice, Money amount) {
        if (amount.isPositive()) {
            entries.add(LedgerEntry.credit(account, invoice.customerId(), amount));
        }
    }
}
