package io.hostrail.invoice.model;

import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.tax.model.TaxCalculation.Basis;
import io.hostrail.tax.model.TaxCalculation.Rounding;
import io.hostrail.tax.model.TaxRate;
import io.hostrail.tax.model.TaxRule;
import io.hostrail.tax.model.Taxation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Invoices as finalizing makes them, priced by {@link InvoicePricing}, for the credit note tests. */
final class InvoiceFixtures {

    static final TenantId TENANT = new TenantId(UUID.fromString("018f0000-0000-7000-8000-000000000001"));
    static final UUID CUSTOMER = UUID.fromString("018f0000-0000-7000-8000-000000000002");
    static final Instant ISSUED = Instant.parse("2026-12-01T10:00:00Z");

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private InvoiceFixtures() {
    }

    static Supplier<UUID> ids() {
        return () -> new UUID(0x018f000000007000L, 0x8000000000000000L | SEQUENCE.incrementAndGet());
    }

    /** An open invoice with one line per amount (minor units), taxed at the rates in the order given. */
    static Invoice open(Currency currency, List<Long> lineMinor, List<TaxRate> rates, Basis basis, Rounding rounding) {
        List<InvoiceLine.Draft> drafts = new ArrayList<>();
        for (int i = 0; i < lineMinor.size(); i++) {
            drafts.add(new InvoiceLine.Draft("Line " + i, 1, new Money(lineMinor.get(i), currency), null, null, null, null,
                    null));
        }
        List<TaxRule> rules = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            rules.add(new TaxRule(ids().get(), TENANT, "DE", null, rates.get(i), i, 0));
        }
        String note = rates.isEmpty() ? "Reverse charge: the customer accounts for the VAT" : null;
        InvoicePricing pricing = InvoicePricing.price(currency, drafts, new Taxation(rules, basis, rounding, note), ids());
        return Invoice.draft(ids().get(), TENANT, CUSTOMER, currency, pricing, null, null, ISSUED.minusSeconds(3600))
                .finalized("INV-2026-000001", pricing, ISSUED);
    }

    static Invoice openEur(List<Long> lineMinor, TaxRate... rates) {
        return open(Currency.getInstance("EUR"), lineMinor, List.of(rates), Basis.EXCLUSIVE, Rounding.PER_LINE);
    }

    static Money eur(String amount) {
        return Money.parse(amount, "EUR");
    }
}
