package io.hostrail.invoice.model;

import io.hostrail.shared.model.Money;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Whether a credit note may be issued on an invoice, given the credit notes already issued on it, and if so how
 * it settles: the part up to the invoice's amount due is taken off what is due, the rest (what the customer already
 * paid, in money or credit) goes to the customer's credit balance.
 *
 * <p>The limits: all credit notes of an invoice together never give back more than its total, and the lines that name
 * an invoice line never give back more than that line's total, less what earlier lines naming it gave back. Both are
 * measured in totals (tax included), what the customer is given.
 */
public sealed interface CreditDecision {

    record Allowed(CreditNotePricing pricing, Money appliedToInvoice, Money toCredit) implements CreditDecision {

        public Allowed {
            if (appliedToInvoice.isNegative() || toCredit.isNegative()
                    || !appliedToInvoice.plus(toCredit).equals(pricing.total())) {
                throw new IllegalArgumentException("a credit note settles its whole total, no more");
            }
        }
    }

    /** A draft has nothing to correct, and a void one was reversed whole. */
    record NotCreditable(InvoiceStatus status) implements CreditDecision {
    }

    /** All credit notes of the invoice would give back more than its total; {@code remaining} is what is left. */
    record ExceedsInvoice(Money remaining) implements CreditDecision {
    }

    record ExceedsLines(List<LineExcess> lines) implements CreditDecision {

        public ExceedsLines {
            lines = List.copyOf(lines);
        }
    }

    /** The credit note's line at {@code index} asks for more than is left of the invoice line. */
    record LineExcess(int index, UUID invoiceLineId, Money asked, Money remaining) {
    }

    /**
     * Prices the drafts as the invoice was priced and decides. Lines given back never weigh less than their amounts
     * (net plus tax, or the gross itself), so amounts that already add up to more than is left are refused before
     * pricing them, which also keeps absurd amounts from overflowing the tax arithmetic.
     */
    static CreditDecision decide(Invoice invoice, List<CreditNote> earlier, List<CreditNoteLine.Draft> drafts,
            Supplier<UUID> lineIds) {
        if (!invoice.isCreditable()) {
            return new NotCreditable(invoice.status());
        }
        Money zero = Money.zero(invoice.currency());
        for (CreditNote note : earlier) {
            if (!note.invoiceId().equals(invoice.id())) {
                throw new IllegalArgumentException("credit note " + note.number() + " is not one of this invoice's");
            }
        }
        Money remaining = invoice.pricing().total()
                .minus(earlier.stream().map(CreditNote::total).reduce(zero, Money::plus));
        BigInteger asked = drafts.stream().map(draft -> BigInteger.valueOf(draft.amount().minorUnits()))
                .reduce(BigInteger.ZERO, BigInteger::add);
        if (asked.compareTo(BigInteger.valueOf(remaining.minorUnits())) > 0) {
            return new ExceedsInvoice(remaining);
        }
        CreditNotePricing pricing;
        try {
            pricing = CreditNotePricing.price(invoice, drafts, lineIds);
        } catch (ArithmeticException overflow) {
            return new ExceedsInvoice(remaining);
        }
        if (pricing.total().compareTo(remaining) > 0) {
            return new ExceedsInvoice(remaining);
        }
        Map<UUID, Money> taken = new HashMap<>();
        earlier.stream().flatMap(note -> note.lines().stream()).filter(line -> line.invoiceLineId() != null)
                .forEach(line -> taken.merge(line.invoiceLineId(), line.total(), Money::plus));
        Map<UUID, InvoiceLine> invoiceLines = invoice.pricing().lines().stream()
                .collect(Collectors.toMap(InvoiceLine::id, Function.identity()));
        List<LineExcess> excesses = new ArrayList<>();
        for (int i = 0; i < pricing.lines().size(); i++) {
            CreditNoteLine line = pricing.lines().get(i);
            if (line.invoiceLineId() == null) {
                continue;
            }
            InvoiceLine target = invoiceLines.get(line.invoiceLineId());
            Money left = target.total().minus(taken.getOrDefault(target.id(), zero));
            if (line.total().compareTo(left) > 0) {
                excesses.add(new LineExcess(i, target.id(), line.total(), left.isNegative() ? zero : left));
            }
            taken.merge(target.id(), line.total(), Money::plus);
        }
        if (!excesses.isEmpty()) {
            return new ExceedsLines(excesses);
        }
        Money due = invoice.amountDue();
        Money applied = pricing.total().compareTo(due) <= 0 ? pricing.total() : due;
        return new Allowed(pricing, applied, pricing.total().minus(applied));
    }
}
