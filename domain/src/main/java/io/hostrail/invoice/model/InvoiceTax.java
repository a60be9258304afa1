package io.hostrail.invoice.model;

import io.hostrail.shared.model.Money;
import java.math.BigDecimal;
import java.util.Objects;

/** One tax on an invoice, as charged: the rule's name, rate and place when the invoice was priced, and its total. */
public record InvoiceTax(String name, BigDecimal percent, boolean compound, String country, String region, Money amount) {

    public InvoiceTax {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(percent, "percent");
        Objects.requireNonNull(amount, "amount");
    }
}
