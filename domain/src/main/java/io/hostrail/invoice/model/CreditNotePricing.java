package io.hostrail.invoice.model;

import io.hostrail.shared.model.Money;
import io.hostrail.tax.model.TaxCalculation;
import io.hostrail.tax.model.TaxRate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A credit note's lines with their taxes, and its totals, worked out exactly as its invoice was: the invoice's own
 * rates in the invoice's order, its basis and its rounding. So a credit note gives back tax only where the invoice
 * charged it (none on a reverse-charge or exempt invoice), and crediting every line of an invoice in full gives back
 * exactly its total. {@code taxes} are per rate, in the invoice's order, named and placed as on the invoice.
 */
public record CreditNotePricing(List<CreditNoteLine> lines, List<InvoiceTax> taxes, Money subtotal, Money taxTotal,
        Money total) {

    public CreditNotePricing {
        lines = List.copyOf(lines);
        taxes = List.copyOf(taxes);
        if (!subtotal.plus(taxTotal).equals(total)) {
            throw new IllegalArgumentException("subtotal and tax must add up to the total");
        }
    }

    public static CreditNotePricing price(Invoice invoice, List<CreditNoteLine.Draft> drafts, Supplier<UUID> lineIds) {
        Currency currency = invoice.currency();
        Set<UUID> invoiceLines = invoice.pricing().lines().stream().map(InvoiceLine::id).collect(Collectors.toSet());
        for (int i = 0; i < drafts.size(); i++) {
            CreditNoteLine.Draft draft = drafts.get(i);
            if (!draft.amount().currency().equals(currency)) {
                throw new IllegalArgumentException("lines[" + i + "].amount: must be in the invoice's currency, "
                        + currency.getCurrencyCode());
            }
            if (draft.invoiceLineId() != null && !invoiceLines.contains(draft.invoiceLineId())) {
                throw new IllegalArgumentException("lines[" + i + "].invoiceLineId: is not a line of this invoice");
            }
        }
        InvoicePricing charged = invoice.pricing();
        List<InvoiceTax> invoiceTaxes = charged.taxes();
        TaxCalculation.Result result = TaxCalculation.calculate(currency,
                drafts.stream().map(CreditNoteLine.Draft::amount).toList(),
                invoiceTaxes.stream().map(tax -> new TaxRate(tax.name(), tax.percent(), tax.compound())).toList(),
                charged.basis(), charged.rounding());
        List<CreditNoteLine> lines = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            CreditNoteLine.Draft draft = drafts.get(i);
            TaxCalculation.LineTax tax = result.lines().get(i);
            lines.add(new CreditNoteLine(lineIds.get(), draft.invoiceLineId(), draft.description(), draft.amount(),
                    tax.net(), tax.tax(), tax.gross()));
        }
        List<InvoiceTax> taxes = new ArrayList<>();
        for (int i = 0; i < invoiceTaxes.size(); i++) {
            InvoiceTax charge = invoiceTaxes.get(i);
            taxes.add(new InvoiceTax(charge.name(), charge.percent(), charge.compound(), charge.country(), charge.region(),
                    result.totalPerRate().get(i)));
        }
        return new CreditNotePricing(lines, taxes, result.net(), result.tax(), result.gross());
    }
}
