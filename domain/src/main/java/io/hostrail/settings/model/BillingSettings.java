package io.hostrail.settings.model;

import io.hostrail.shared.model.TenantId;
import io.hostrail.subscription.model.Proration;
import io.hostrail.tax.model.TaxCalculation;
import java.util.Objects;

/**
 * How a tenant bills: where it sells from (for EU VAT), how prices and tax rounding work, how documents are numbered,
 * how many days before the due date renewals are invoiced, whether credit is applied to new invoices by itself, and
 * whether plan changes are prorated to the day or to the second.
 */
public record BillingSettings(TenantId tenant, String sellerCountry, TaxCalculation.Basis taxBasis,
        TaxCalculation.Rounding taxRounding, DocumentNumberFormat invoiceNumbers, DocumentNumberFormat creditNoteNumbers,
        int renewalLeadDays, boolean applyCreditAutomatically, Proration.Granularity prorationGranularity, long version) {

    public static final int MAX_LEAD_DAYS = 90;

    public BillingSettings {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(taxBasis, "taxBasis");
        Objects.requireNonNull(taxRounding, "taxRounding");
        Objects.requireNonNull(invoiceNumbers, "invoiceNumbers");
        Objects.requireNonNull(creditNoteNumbers, "creditNoteNumbers");
        Objects.requireNonNull(prorationGranularity, "prorationGranularity");
        if (renewalLeadDays < 0 || renewalLeadDays > MAX_LEAD_DAYS) {
            throw new IllegalArgumentException("renewalLeadDays: from 0 to " + MAX_LEAD_DAYS);
        }
    }

    /** What a tenant that never changed its settings bills with. */
    public static BillingSettings defaults(TenantId tenant) {
        return new BillingSettings(tenant, null, TaxCalculation.Basis.EXCLUSIVE, TaxCalculation.Rounding.PER_LINE,
                new DocumentNumberFormat("INV-{yyyy}-{seq:6}"), new DocumentNumberFormat("CN-{yyyy}-{seq:6}"), 14, true, Proration.Granularity.DAY, 0);
    }
}
