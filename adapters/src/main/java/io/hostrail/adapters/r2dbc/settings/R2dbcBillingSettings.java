package io.hostrail.adapters.r2dbc.settings;

import io.hostrail.settings.model.BillingSettings;
import io.hostrail.settings.model.DocumentNumberFormat;
import io.hostrail.settings.port.out.BillingSettingsStore;
import io.hostrail.shared.model.TenantId;
import io.hostrail.subscription.model.Proration;
import io.hostrail.tax.model.TaxCalculation;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

public final class R2dbcBillingSettings implements BillingSettingsStore {

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcBillingSettings(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<BillingSettings> find(TenantId tenant) {
        return database.sql("""
                        SELECT tenant_id, seller_country, tax_basis, tax_rounding, invoice_number_format,
                            credit_note_number_format, renewal_lead_days, apply_credit_automatically, proration_granularity,
                            version
                        FROM billing_settings WHERE tenant_id = :tenant
                        """)
                .bind("tenant", tenant.value())
                .map(row -> new BillingSettings(new TenantId(row.get("tenant_id", UUID.class)),
                        row.get("seller_country", String.class),
                        TaxCalculation.Basis.valueOf(row.get("tax_basis", String.class).toUpperCase(Locale.ROOT)),
                        TaxCalculation.Rounding.valueOf(row.get("tax_rounding", String.class).toUpperCase(Locale.ROOT)),
                        new DocumentNumberFormat(row.get("invoice_number_format", String.class)),
                        new DocumentNumberFormat(row.get("credit_note_number_format", String.class)),
                        row.get("renewal_lead_days", Integer.class), row.get("apply_credit_automatically", Boolean.class),
                        Proration.Granularity.valueOf(row.get("proration_granularity", String.class).toUpperCase(Locale.ROOT)),
                        row.get("version", Long.class)))
                .one();
    }

    @Override
    public Mono<BillingSettings> save(BillingSettings s, long expectedVersion) {
        var spec = database.sql("""
                        INSERT INTO billing_settings (tenant_id, seller_country, tax_basis, tax_rounding, invoice_number_format,
                            credit_note_number_format, renewal_lead_days, apply_credit_automatically, proration_granularity, updated_at,
                            version)
                        VALUES (:tenant, :seller, :basis, :rounding, :invoices, :creditNotes, :leadDays, :applyCredit,
                            :granularity, :now, 1)
                        ON CONFLICT (tenant_id) DO UPDATE SET seller_country = EXCLUDED.seller_country,
                            tax_basis = EXCLUDED.tax_basis, tax_rounding = EXCLUDED.tax_rounding,
                            invoice_number_format = EXCLUDED.invoice_number_format,
                            credit_note_number_format = EXCLUDED.credit_note_number_format,
                            renewal_lead_days = EXCLUDED.renewal_lead_days,
                            apply_credit_automatically = EXCLUDED.apply_credit_automatically,
                            proration_granularity = EXCLUDED.proration_granularity,
                            updated_at = EXCLUDED.updated_at, version = billing_settings.version + 1
                        WHERE billing_settings.version = :expected
                        """)
                .bind("tenant", s.tenant().value()).bind("basis", s.taxBasis().name().toLowerCase(Locale.ROOT))
                .bind("rounding", s.taxRounding().name().toLowerCase(Locale.ROOT))
                .bind("invoices", s.invoiceNumbers().pattern()).bind("creditNotes", s.creditNoteNumbers().pattern())
                .bind("leadDays", s.renewalLeadDays()).bind("applyCredit", s.applyCreditAutomatically())
                .bind("granularity", s.prorationGranularity().name().toLowerCase(Locale.ROOT))
                .bind("now", clock.instant()).bind("expected", expectedVersion);
        spec = s.sellerCountry() == null ? spec.bindNull("seller", String.class) : spec.bind("seller", s.sellerCountry());
        // A first save must expect version 0; an insert then succeeds only when no row existed.
        return spec.fetch().rowsUpdated().filter(saved -> saved == 1)
                .flatMap(saved -> find(s.tenant()))
                .filter(saved -> saved.version() == expectedVersion + 1);
    }
}
