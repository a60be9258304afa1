package io.hostrail.invoice.model;

import io.hostrail.shared.model.Money;
import io.hostrail.tax.model.TaxCalculation;
import io.hostrail.tax.model.TaxRule;
import io.hostrail.tax.model.Taxation;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * An invoice's lines with their taxes, and its totals: the one place an invoice's figures are worked out, so they
 * always agree. The taxes are {@link TaxCalculation}'s, which neither creates nor loses a minor unit; the reverse-charge
 * note is carried when the customer accounts for the VAT and no rule applies.
 */
public record InvoicePricing(List<InvoiceLine> lines, List<InvoiceTax> taxes, TaxCalculation.Basis basis,
        TaxCalculation.Rounding rounding, String taxNote, Money subtotal, Money discountTotal, Money taxTotal,
        Money total) {

    public InvoicePricing {
        lines = List.copyOf(lines);
        taxes = List.copyOf(taxes);
        if (!subtotal.plus(taxTotal).equals(total)) {
            throw new IllegalArgumentException("subtotal and tax must add up to the total");
        }
    }

    public static InvoicePricing price(Currency currency, List<InvoiceLine.Draft> drafts, Taxation taxation,
            Supplier<UUID> lineIds) {
        for (InvoiceLine.Draft draft : drafts) {
            if (!draft.unitPrice().currency().equals(currency)) {
                throw new IllegalArgumentException("lines: every line must be in the invoice's currency, "
                        + currency.getCurrencyCode());
            }
        }
        TaxCalculation.Result result = TaxCalculation.calculate(currency,
                drafts.stream().map(InvoiceLine.Draft::amount).toList(),
                taxation.rules().stream().map(TaxRule::rate).toList(), taxation.basis(), taxation.rounding());
        List<InvoiceLine> lines = new ArrayList<>();
        Money discounts = Money.zero(currency);
        for (int i = 0; i < drafts.size(); i++) {
            InvoiceLine.Draft d = drafts.get(i);
            TaxCalculation.LineTax tax = result.lines().get(i);
            lines.add(new InvoiceLine(lineIds.get(), d.description(), d.quantity(), d.unitPrice(), d.discount(),
                    d.periodStart(), d.periodEnd(), d.productId(), d.subscriptionId(), tax.net(), tax.tax(), tax.gross()));
            discounts = discounts.plus(d.discount());
        }
        List<InvoiceTax> taxes = new ArrayList<>();
        for (int i = 0; i < taxation.rules().size(); i++) {
            TaxRule rule = taxation.rules().get(i);
            taxes.add(new InvoiceTax(rule.rate().name(), rule.rate().percent(), rule.rate().compound(), rule.country(),
                    rule.region(), result.totalPerRate().get(i)));
        }
        return new InvoicePricing(lines, taxes, taxation.basis(), taxation.rounding(), taxation.note(),
                result.net(), discounts, result.tax(), result.gross());
    }
}
