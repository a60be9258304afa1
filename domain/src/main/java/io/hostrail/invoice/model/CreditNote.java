package io.hostrail.invoice.model;

import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A correction or partial refund of a finalized invoice: lines given back with their tax, numbered from its own
 * gapless sequence, and immutable from the moment it is issued. It records how it settled: {@code appliedToInvoice}
 * was taken off the invoice's amount due, {@code toCredit} went to the customer's credit balance.
 */
public record CreditNote(UUID id, TenantId tenant, UUID invoiceId, String invoiceNumber, UUID customerId, String number,
        Currency currency, String reason, List<CreditNoteLine> lines, List<InvoiceTax> taxes, Money subtotal,
        Money taxTotal, Money total, Money appliedToInvoice, Money toCredit, Instant issuedAt) {

    public static final int MAX_REASON = 500;
    public static final int MAX_LINES = 200;

    public CreditNote {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(invoiceNumber, "invoiceNumber");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(issuedAt, "issuedAt");
        reason = reason(reason);
        lines = List.copyOf(lines);
        taxes = List.copyOf(taxes);
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new IllegalArgumentException("lines: from 1 to " + MAX_LINES);
        }
        if (!total.currency().equals(currency)) {
            throw new IllegalArgumentException("a credit note's amounts are in its currency");
        }
        if (!subtotal.plus(taxTotal).equals(total) || !total.isPositive()) {
            throw new IllegalArgumentException("subtotal and tax add up to a total above zero");
        }
        if (appliedToInvoice.isNegative() || toCredit.isNegative() || !appliedToInvoice.plus(toCredit).equals(total)) {
            throw new IllegalArgumentException("what was taken off the invoice and what went to credit make up the total");
        }
    }

    /** The required reason, stripped; at most {@link #MAX_REASON} characters. */
    public static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: is required");
        }
        String stripped = reason.strip();
        if (stripped.length() > MAX_REASON) {
            throw new IllegalArgumentException("reason: at most " + MAX_REASON + " characters");
        }
        return stripped;
    }

    /** Issues what {@link CreditDecision#decide} allowed, under the number taken for it. */
    public static CreditNote issue(UUID id, String number, Invoice invoice, String reason, CreditDecision.Allowed allowed,
            Instant at) {
        CreditNotePricing pricing = allowed.pricing();
        return new CreditNote(id, invoice.tenant(), invoice.id(), invoice.number(), invoice.customerId(), number,
                invoice.currency(), reason, pricing.lines(), pricing.taxes(), pricing.subtotal(), pricing.taxTotal(),
                pricing.total(), allowed.appliedToInvoice(), allowed.toCredit(), at);
    }

    /**
     * The ledger movement: revenue and tax given back are debited, and what settles them credited: the receivable for
     * the part taken off the amount due (bad debt when the invoice was written off, since its receivable already went
     * there), the customer's credit for the rest.
     *
     * @param invoiceStatus the invoice's status when the credit note was issued
     */
    public LedgerTransaction movement(UUID transactionId, InvoiceStatus invoiceStatus) {
        List<LedgerEntry> entries = new ArrayList<>();
        if (subtotal.isPositive()) {
            entries.add(LedgerEntry.debit(Account.REVENUE, customerId, subtotal));
        }
        if (taxTotal.isPositive()) {
            entries.add(LedgerEntry.debit(Account.TAX_PAYABLE, customerId, taxTotal));
        }
        if (appliedToInvoice.isPositive()) {
            Account settles = invoiceStatus == InvoiceStatus.UNCOLLECTIBLE ? Account.BAD_DEBT : Account.ACCOUNTS_RECEIVABLE;
            entries.add(LedgerEntry.credit(settles, customerId, appliedToInvoice));
        }
        if (toCredit.isPositive()) {
            entries.add(LedgerEntry.credit(Account.CUSTOMER_CREDIT, customerId, toCredit));
        }
        return new LedgerTransaction(transactionId, tenant, "credit_note_issued", customerId, id,
                "Credit note " + number + " for invoice " + invoiceNumber, issuedAt, entries);
    }
}
