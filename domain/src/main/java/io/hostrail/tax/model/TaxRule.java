package io.hostrail.tax.model;

import io.hostrail.shared.model.TenantId;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A tax the tenant charges where its customers are: a rate for a country, or for one region of it (a Canadian
 * province, a US state). Rules of a place apply in {@code sequence} order, which matters for compound rates.
 */
public record TaxRule(UUID id, TenantId tenant, String country, String region, TaxRate rate, int sequence, long version) {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    public TaxRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(rate, "rate");
        country = country(country);
        region = region == null || region.isBlank() ? null : region.strip().toUpperCase(Locale.ROOT);
        if (region != null && !region.matches("[A-Z0-9]{1,3}")) {
            throw new IllegalArgumentException("region: must be an ISO 3166-2 subdivision code such as QC or CA");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence: must not be negative");
        }
    }

    /** True when the rule is charged at the place: its country, and its region if it names one. */
    public boolean appliesTo(String country, String region) {
        return this.country.equals(country) && (this.region == null || this.region.equalsIgnoreCase(region));
    }

    public static String country(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("country: is required");
        }
        String code = value.strip().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(code)) {
            throw new IllegalArgumentException("country: '" + value + "' is not an ISO 3166-1 alpha-2 code");
        }
        return code;
    }
}
