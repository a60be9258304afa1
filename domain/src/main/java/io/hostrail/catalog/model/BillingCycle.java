package io.hostrail.catalog.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How often a price recurs, in whole months; {@link #ONE_TIME} never recurs. */
public enum BillingCycle {
    MONTHLY(1), QUARTERLY(3), SEMI_ANNUAL(6), ANNUAL(12), BIENNIAL(24), TRIENNIAL(36), ONE_TIME(0);

    private final int months;

    BillingCycle(int months) {
        this.months = months;
    }

    public int months() {
        return months;
    }

    public boolean recurs() {
        return months > 0;
    }

    /** The wire name: {@code semi_annual}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BillingCycle fromWire(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a billing cycle; use one of " + wireNames());
        }
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(BillingCycle::wireName).collect(Collectors.joining(", "));
    }
}
