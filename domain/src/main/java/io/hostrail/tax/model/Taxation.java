package io.hostrail.tax.model;

import java.util.List;
import java.util.Objects;

/**
 * How a customer's lines are taxed: the rules of its place in the order they apply, the tenant's basis and rounding,
 * and, when the customer accounts for the VAT itself (EU reverse charge) or is exempt, no rules and the note saying why.
 */
public record Taxation(List<TaxRule> rules, TaxCalculation.Basis basis, TaxCalculation.Rounding rounding, String note) {

    public Taxation {
        rules = List.copyOf(rules);
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(rounding, "rounding");
    }
}
