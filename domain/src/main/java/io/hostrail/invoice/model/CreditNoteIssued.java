package io.hostrail.invoice.model;

import io.hostrail.shared.event.DomainEvent;
import java.util.UUID;

/**
 * A credit note was issued on an invoice. Amounts are in minor units of {@code currency}: {@code appliedToInvoiceMinor}
 * was taken off the invoice's amount due (leaving {@code invoiceAmountDueMinor}), {@code toCreditMinor} went to the
 * customer's credit balance; together they are {@code totalMinor}. {@code transactionId} is its ledger movement.
 */
public record CreditNoteIssued(UUID aggregateId, String number, UUID invoiceId, String invoiceNumber, UUID customerId,
        String currency, long totalMinor, long taxMinor, long appliedToInvoiceMinor, long toCreditMinor,
        long invoiceAmountDueMinor, UUID transactionId) implements DomainEvent {

    @Override
    public String type() {
        return "credit_note.issued";
    }
}
