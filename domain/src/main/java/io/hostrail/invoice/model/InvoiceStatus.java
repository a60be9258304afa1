package io.hostrail.invoice.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where an invoice is in its life. Only a draft changes; finalizing gives it its number and makes it {@link #OPEN};
 * an open invoice ends {@link #PAID}, {@link #VOID} or {@link #UNCOLLECTIBLE}, and an uncollectible one can still be
 * paid.
 */
public enum InvoiceStatus {
    DRAFT, OPEN, PAID, VOID, UNCOLLECTIBLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InvoiceStatus fromWire(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not an invoice status; use one of "
                    + Arrays.stream(values()).map(InvoiceStatus::wireName).collect(Collectors.joining(", ")));
        }
    }

    /** Finalized: numbered, in the ledger, and immutable. */
    public boolean isFinalized() {
        return this != DRAFT;
    }
}
