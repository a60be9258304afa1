package io.hostrail.settings.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.Actors;
import io.hostrail.settings.model.BillingSettings;
import io.hostrail.subscription.model.Proration;
import io.hostrail.settings.model.DocumentNumberFormat;
import io.hostrail.settings.port.out.BillingSettingsStore;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.tax.model.TaxCalculation;
import io.hostrail.tax.model.TaxRule;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Mono;

/** The tenant's billing settings: read by everything that bills, changed by those who hold settings:write. */
public final class BillingSettingsService {

    public static final ErrorCode INVALID = ErrorCode.validation("settings.invalid");
    public static final ErrorCode STALE = ErrorCode.conflict("version.stale");

    public record SettingsDraft(String sellerCountry, String taxBasis, String taxRounding, String invoiceNumberFormat,
            String creditNoteNumberFormat, Integer renewalLeadDays, Boolean applyCreditAutomatically,
            String prorationGranularity) {
    }

    private final BillingSettingsStore store;
    private final UnitOfWork unitOfWork;
    private final AuditTrail audit;

    public BillingSettingsService(BillingSettingsStore store, UnitOfWork unitOfWork, AuditTrail audit) {
        this.store = store;
        this.unitOfWork = unitOfWork;
        this.audit = audit;
    }

    public Mono<BillingSettings> get(Principal actor) {
        return unitOfWork.inTransaction(() -> current(actor));
    }

    /** Inside a caller's unit of work: the saved settings, or the defaults. */
    public Mono<BillingSettings> current(Principal actor) {
        return current(actor.tenant());
    }

    /** Inside a caller's unit of work, for work no user asked for (the billing run). */
    public Mono<BillingSettings> current(io.hostrail.shared.model.TenantId tenant) {
        return store.find(tenant).defaultIfEmpty(BillingSettings.defaults(tenant));
    }

    public Mono<BillingSettings> update(Principal actor, SettingsDraft draft, long expectedVersion) {
        BillingSettings wanted;
        try {
            wanted = validated(actor, draft, expectedVersion);
        } catch (DomainException e) {
            return Mono.error(e);
        }
        return unitOfWork.inTransaction(() -> current(actor).flatMap(before -> store.save(wanted, expectedVersion)
                .switchIfEmpty(Mono.error(() -> new DomainException(STALE,
                        "The settings were changed by someone else meanwhile; reload them and try again.")))
                .flatMap(saved -> audit.record(actor.tenant(), Actors.of(actor), "settings.billing_updated", "settings",
                        "billing", summary(before), summary(saved)).thenReturn(saved))));
    }

    private static BillingSettings validated(Principal actor, SettingsDraft draft, long version) {
        FieldErrors errors = new FieldErrors();
        String seller = draft.sellerCountry() == null || draft.sellerCountry().isBlank() ? null
                : errors.check("sellerCountry", () -> TaxRule.country(draft.sellerCountry()));
        TaxCalculation.Basis basis = errors.check("taxBasis", () -> choice(TaxCalculation.Basis.class, draft.taxBasis(),
                TaxCalculation.Basis.EXCLUSIVE));
        TaxCalculation.Rounding rounding = errors.check("taxRounding", () -> choice(TaxCalculation.Rounding.class,
                draft.taxRounding(), TaxCalculation.Rounding.PER_LINE));
        DocumentNumberFormat invoices = errors.check("invoiceNumberFormat", () -> new DocumentNumberFormat(
                draft.invoiceNumberFormat() == null ? "INV-{yyyy}-{seq:6}" : draft.invoiceNumberFormat()));
        DocumentNumberFormat creditNotes = errors.check("creditNoteNumberFormat", () -> new DocumentNumberFormat(
                draft.creditNoteNumberFormat() == null ? "CN-{yyyy}-{seq:6}" : draft.creditNoteNumberFormat()));
        int leadDays = draft.renewalLeadDays() == null ? 14 : draft.renewalLeadDays();
        if (leadDays < 0 || leadDays > BillingSettings.MAX_LEAD_DAYS) {
            errors.add("renewalLeadDays", "must be from 0 to " + BillingSettings.MAX_LEAD_DAYS);
        }
        if (invoices != null && invoices.equals(creditNotes)) {
            errors.add("creditNoteNumberFormat", "must differ from the invoice number format");
        }
        Proration.Granularity granularity = errors.check("prorationGranularity", () -> choice(Proration.Granularity.class,
                draft.prorationGranularity(), Proration.Granularity.DAY));
        errors.throwIfAny(INVALID, "The billing settings have invalid fields.");
        return new BillingSettings(actor.tenant(), seller, basis, rounding, invoices, creditNotes, leadDays,
                draft.applyCreditAutomatically() == null || draft.applyCreditAutomatically(), granularity, version);
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, E fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.strip())) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static Map<String, String> summary(BillingSettings s) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("sellerCountry", s.sellerCountry() == null ? "" : s.sellerCountry());
        summary.put("taxBasis", s.taxBasis().name().toLowerCase(Locale.ROOT));
        summary.put("taxRounding", s.taxRounding().name().toLowerCase(Locale.ROOT));
        summary.put("invoiceNumberFormat", s.invoiceNumbers().pattern());
        summary.put("creditNoteNumberFormat", s.creditNoteNumbers().pattern());
        summary.put("renewalLeadDays", Integer.toString(s.renewalLeadDays()));
        summary.put("applyCreditAutomatically", Boolean.toString(s.applyCreditAutomatically()));
        summary.put("prorationGranularity", s.prorationGranularity().name().toLowerCase(java.util.Locale.ROOT));
        return summary;
    }
}
