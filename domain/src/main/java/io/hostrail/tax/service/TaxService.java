package io.hostrail.tax.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.model.Address;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.model.VatCheck;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.settings.model.BillingSettings;
import io.hostrail.settings.service.BillingSettingsService;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.Actors;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.tax.model.TaxCalculation;
import io.hostrail.tax.model.TaxRate;
import io.hostrail.tax.model.TaxRule;
import io.hostrail.tax.model.Taxation;
import io.hostrail.tax.port.out.TaxRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The tenant's tax rules, and what they charge on a set of lines at a place. */
public final class TaxService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("tax_rule.not_found");
    public static final ErrorCode INVALID = ErrorCode.validation("tax_rule.invalid");
    public static final ErrorCode QUOTE_INVALID = ErrorCode.validation("tax_quote.invalid");
    public static final ErrorCode STALE = ErrorCode.conflict("version.stale");

    public record RuleDraft(String name, String country, String region, String percent, Boolean compound, Integer sequence) {
    }

    /** With a {@code customerId}, the place, currency and EU VAT status come from the customer. */
    public record QuoteDraft(UUID customerId, String currency, String country, String region, String basis, String rounding,
            List<String> amounts) {
    }

    /**
     * The rules that applied, in order, the calculation, and the note saying why no tax is charged when the customer
     * pays the VAT itself (reverse charge) or is exempt.
     */
    public record Quote(List<TaxRule> rules, TaxCalculation.Result result, TaxCalculation.Basis basis,
            TaxCalculation.Rounding rounding, String note) {
    }

    public static final ErrorCode PLACE_UNKNOWN = ErrorCode.validation("tax.place_unknown");

    /** The legal note an EU invoice carries when the customer accounts for the VAT. */
    public static final String REVERSE_CHARGE_NOTE =
            "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC).";

    /** EU member states by ISO 3166-1 code; Greece's VAT numbers start with EL. */
    private static final java.util.Set<String> EU = java.util.Set.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES",
            "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");

    private final TaxRules rules;
    private final CustomerService customers;
    private final BillingSettingsService settings;
    private final UnitOfWork unitOfWork;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final boolean requireValidVatCheck;

    public TaxService(TaxRules rules, CustomerService customers, BillingSettingsService settings, UnitOfWork unitOfWork,
            AuditTrail audit, IdGenerator ids) {
        this(rules, customers, settings, unitOfWork, audit, ids, false);
    }

    /**
     * With {@code requireValidVatCheck} (VAT numbers are checked with VIES), reverse charge also needs the customer's
     * last check to have found its VAT number valid; without, the number's format is enough.
     */
    public TaxService(TaxRules rules, CustomerService customers, BillingSettingsService settings, UnitOfWork unitOfWork,
            AuditTrail audit, IdGenerator ids, boolean requireValidVatCheck) {
        this.rules = rules;
        this.customers = customers;
        this.settings = settings;
        this.unitOfWork = unitOfWork;
        this.audit = audit;
        this.ids = ids;
        this.requireValidVatCheck = requireValidVatCheck;
    }

    public Mono<TaxRule> create(Principal actor, RuleDraft draft) {
        return Mono.fromCallable(() -> rule(ids.newId(), actor, draft, 0))
                .flatMap(rule -> unitOfWork.inTransaction(() -> rules.create(rule)
                        .flatMap(created -> audit.record(actor.tenant(), Actors.of(actor), "tax_rule.created", "tax_rule",
                                created.id().toString(), Map.of(), summary(created)).thenReturn(created))));
    }

    public Mono<TaxRule> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> rules.find(actor.tenant(), id)).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    public Flux<TaxRule> list(Principal actor, String country) {
        String code;
        try {
            code = country == null ? null : TaxRule.country(country);
        } catch (IllegalArgumentException e) {
            return Flux.error(invalid(INVALID, "The filter has invalid values.", e));
        }
        return unitOfWork.inTransactionMany(() -> rules.list(actor.tenant(), code));
    }

    public Mono<TaxRule> update(Principal actor, UUID id, RuleDraft draft, long expectedVersion) {
        return unitOfWork.inTransaction(() -> rules.find(actor.tenant(), id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(current -> Mono.fromCallable(() -> rule(id, actor, draft, current.version()))
                        .flatMap(changed -> rules.update(changed, expectedVersion))
                        .switchIfEmpty(Mono.error(() -> new DomainException(STALE,
                                "The tax rule was changed by someone else meanwhile; reload it and try again.")))
                        .flatMap(updated -> audit.record(actor.tenant(), Actors.of(actor), "tax_rule.updated", "tax_rule",
                                id.toString(), summary(current), summary(updated)).thenReturn(updated))));
    }

    public Mono<Void> delete(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> rules.find(actor.tenant(), id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(current -> rules.delete(actor.tenant(), id)
                        .then(audit.record(actor.tenant(), Actors.of(actor), "tax_rule.deleted", "tax_rule", id.toString(),
                                summary(current), Map.of())))
                .then());
    }

    /**
     * The taxes the tenant's rules charge on the lines at the place, without recording anything. For a customer, the
     * place is its billing address, and an EU business customer in another member state than the seller, with an EU
     * VAT number of that state (with VIES checks on, one VIES found valid), pays the VAT itself: no tax, and the
     * reverse-charge note.
     */
    public Mono<Quote> quote(Principal actor, QuoteDraft draft) {
        return unitOfWork.inTransaction(() -> settings.current(actor).zipWith(customerOf(actor, draft.customerId()))
                .flatMap(found -> {
                    BillingSettings tenantSettings = found.getT1();
                    Optional<Customer> customer = found.getT2();
                    FieldErrors errors = new FieldErrors();
                    String currencyCode = draft.currency() == null && customer.isPresent()
                            ? customer.get().currency().getCurrencyCode() : draft.currency();
                    Currency currency = errors.check("currency", () -> Money.zero(FieldErrors.required(currencyCode)).currency());
                    Address address = customer.map(Customer::billingAddress).orElse(null);
                    if (customer.isPresent() && address == null) {
                        errors.add("customerId", "the customer has no billing address, so its tax place is unknown");
                    }
                    String country = customer.isPresent() ? (address == null ? null : address.country())
                            : errors.check("country", () -> TaxRule.country(draft.country()));
                    String region = customer.isPresent() ? (address == null ? null : address.region())
                            : draft.region() == null || draft.region().isBlank() ? null : draft.region().strip();
                    TaxCalculation.Basis basis = errors.check("basis", () -> draft.basis() == null ? tenantSettings.taxBasis()
                            : TaxCalculation.Basis.valueOf(choice(draft.basis(), "exclusive or inclusive")));
                    TaxCalculation.Rounding rounding = errors.check("rounding", () -> draft.rounding() == null
                            ? tenantSettings.taxRounding()
                            : TaxCalculation.Rounding.valueOf(choice(draft.rounding(), "per_line or per_invoice")));
                    List<Money> amounts = amounts(draft.amounts(), currency, errors);
                    errors.throwIfAny(QUOTE_INVALID, "The tax quote has invalid fields.");
                    String note = customer.map(c -> untaxedBecause(tenantSettings, c)).orElse(null);
                    Mono<List<TaxRule>> applied = note != null ? Mono.just(List.of()) : rulesAt(actor.tenant(), country, region);
                    return applied.map(chosen -> new Quote(chosen, TaxCalculation.calculate(currency, amounts,
                            chosen.stream().map(TaxRule::rate).toList(), basis, rounding), basis, rounding, note));
                }));
    }

    /**
     * How the customer's invoice lines are taxed now: the rules of its billing address, unless it is exempt or pays the
     * VAT itself. A customer without an address is refused while the tenant has any tax rule, since where it is taxed
     * is unknown. Joins the caller's unit of work.
     */
    public Mono<Taxation> taxationFor(BillingSettings tenantSettings, Customer customer) {
        return rules(customer.tenant()).map(tenantRules -> taxation(tenantSettings, customer, tenantRules));
    }

    /** Every rule of the tenant, read once by work that taxes many customers alike (the billing run). */
    public Mono<List<TaxRule>> rules(TenantId tenant) {
        return rules.list(tenant, null).collectList();
    }

    /**
     * {@link #taxationFor}, given every rule of the customer's tenant: the same decision, without reading anything.
     *
     * @throws DomainException {@link #PLACE_UNKNOWN} for a customer without a billing address while the tenant has rules
     */
    public Taxation taxation(BillingSettings tenantSettings, Customer customer, List<TaxRule> tenantRules) {
        return taxation(tenantSettings, customer, tenantRules, requireValidVatCheck);
    }

    /** {@link #taxation(BillingSettings, Customer, List)}, saying whether reverse charge needs a valid VIES check. */
    public static Taxation taxation(BillingSettings tenantSettings, Customer customer, List<TaxRule> tenantRules,
            boolean requireValidVatCheck) {
        String note = untaxedBecause(tenantSettings, customer, requireValidVatCheck);
        if (note != null) {
            return new Taxation(List.of(), tenantSettings.taxBasis(), tenantSettings.taxRounding(), note);
        }
        Address address = customer.billingAddress();
        if (address == null && !tenantRules.isEmpty()) {
            throw new DomainException(PLACE_UNKNOWN, "Customer " + customer.id()
                    + " has no billing address, so where it is taxed is unknown; add one first.");
        }
        List<TaxRule> applied = address == null ? List.of() : applicable(tenantRules, address.country(), address.region());
        return new Taxation(applied, tenantSettings.taxBasis(), tenantSettings.taxRounding(), null);
    }

    /** Why the customer is charged no tax at all, or null when it is taxed where it is. */
    private String untaxedBecause(BillingSettings tenantSettings, Customer customer) {
        return untaxedBecause(tenantSettings, customer, requireValidVatCheck);
    }

    private static String untaxedBecause(BillingSettings tenantSettings, Customer customer, boolean requireValidVatCheck) {
        if (customer.taxExemption() != null) {
            return "Tax exempt: " + customer.taxExemption();
        }
        Address address = customer.billingAddress();
        return address != null && reverseCharge(tenantSettings.sellerCountry(), address.country(), customer.taxId(),
                customer.vatCheck(), requireValidVatCheck) ? REVERSE_CHARGE_NOTE : null;
    }

    private Mono<List<TaxRule>> rulesAt(TenantId tenant, String country, String region) {
        return rules.list(tenant, country).collectList().map(found -> applicable(found, country, region));
    }

    /** The rules that apply at the place, in the order they apply. */
    private static List<TaxRule> applicable(List<TaxRule> candidates, String country, String region) {
        return candidates.stream().filter(rule -> rule.appliesTo(country, region))
                .sorted(Comparator.comparingInt(TaxRule::sequence)
                        .thenComparing(rule -> rule.region() == null ? "" : rule.region()))
                .toList();
    }

    private Mono<Optional<Customer>> customerOf(Principal actor, UUID customerId) {
        return customerId == null ? Mono.just(Optional.empty()) : customers.accessible(actor, customerId).map(Optional::of);
    }

    /** B2B within the EU across a border: seller and customer in different member states, customer VAT-registered there. */
    static boolean reverseCharge(String sellerCountry, String customerCountry, TaxId taxId) {
        if (sellerCountry == null || customerCountry == null || taxId == null || !taxId.isEuVat()) {
            return false;
        }
        String vatCountry = taxId.value().startsWith("EL") ? "GR" : taxId.value().substring(0, 2);
        return EU.contains(sellerCountry) && EU.contains(customerCountry) && !sellerCountry.equals(customerCountry)
                && vatCountry.equals(customerCountry);
    }

    /** {@link #reverseCharge(String, String, TaxId)}, and, when required, a last VIES check that found the number valid. */
    static boolean reverseCharge(String sellerCountry, String customerCountry, TaxId taxId, VatCheck lastCheck,
            boolean requireValidVatCheck) {
        return reverseCharge(sellerCountry, customerCountry, taxId)
                && (!requireValidVatCheck || lastCheck != null && lastCheck.status() == VatCheck.Status.VALID);
    }

    private static List<Money> amounts(List<String> drafts, Currency currency, FieldErrors errors) {
        List<Money> amounts = new ArrayList<>();
        List<String> list = drafts == null ? List.of() : drafts;
        for (int i = 0; i < list.size(); i++) {
            String amount = list.get(i);
            Money money = currency == null ? null : errors.check("amounts[" + i + "]", () -> {
                Money parsed = Money.parse(FieldErrors.required(amount), currency.getCurrencyCode());
                if (parsed.isNegative()) {
                    throw new IllegalArgumentException("must not be negative");
                }
                return parsed;
            });
            amounts.add(money);
        }
        return amounts;
    }

    private static TaxRule rule(UUID id, Principal actor, RuleDraft draft, long version) {
        FieldErrors errors = new FieldErrors();
        String name = errors.check("name", () -> FieldErrors.required(draft.name()));
        BigDecimal percent = errors.check("percent", () -> {
            try {
                return new BigDecimal(FieldErrors.required(draft.percent()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + draft.percent() + "' is not a decimal number");
            }
        });
        TaxRate rate = name == null || percent == null ? null
                : errors.check("percent", () -> new TaxRate(name, percent, Boolean.TRUE.equals(draft.compound())));
        errors.throwIfAny(INVALID, "The tax rule has invalid fields.");
        try {
            return new TaxRule(id, actor.tenant(), draft.country(), draft.region(), rate,
                    draft.sequence() == null ? 0 : draft.sequence(), version);
        } catch (IllegalArgumentException e) {
            throw invalid(INVALID, "The tax rule has invalid fields.", e);
        }
    }

    private static DomainException invalid(ErrorCode code, String detail, IllegalArgumentException e) {
        FieldErrors errors = new FieldErrors();
        errors.addRuleViolation(e, "rule");
        return errors.toException(code, detail);
    }

    /** The enum constant name for a wire value among {@code allowed} ("exclusive or inclusive"). */
    private static String choice(String value, String allowed) {
        String wire = value.strip().toLowerCase(Locale.ROOT);
        if (!List.of(allowed.split(" or ")).contains(wire)) {
            throw new IllegalArgumentException("must be " + allowed);
        }
        return wire.toUpperCase(Locale.ROOT);
    }

    private static Map<String, String> summary(TaxRule rule) {
        return Map.of("name", rule.rate().name(), "country", rule.country(),
                "region", rule.region() == null ? "" : rule.region(), "percent", rule.rate().percent().toPlainString(),
                "compound", Boolean.toString(rule.rate().compound()));
    }

    private static DomainException notFound(UUID id) {
        return new DomainException(NOT_FOUND, "No tax rule " + id + " exists.");
    }
}
