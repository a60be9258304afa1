package io.hostrail.customer.model;

import java.util.Locale;
import java.util.Set;

/** A postal address. The country is ISO 3166-1 alpha-2: taxes are decided by it. */
public record Address(String line1, String line2, String city, String region, String postalCode, String country) {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    public Address {
        line1 = trimmed(line1, 200);
        line2 = trimmed(line2, 200);
        city = trimmed(city, 100);
        region = trimmed(region, 100);
        postalCode = trimmed(postalCode, 20);
        if (country == null || !COUNTRIES.contains(country.strip().toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("country must be an ISO 3166-1 alpha-2 code such as DE or US");
        }
        country = country.strip().toUpperCase(Locale.ROOT);
    }

    static String trimmed(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > max) {
            throw new IllegalArgumentException("a value is longer than " + max + " characters");
        }
        return stripped;
    }
}
