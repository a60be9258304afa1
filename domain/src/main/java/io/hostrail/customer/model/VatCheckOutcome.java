package io.hostrail.customer.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What the EU's register of VAT numbers (VIES) answered about a number. Only {@link Valid} and {@link Invalid} are
 * answers about the number. {@link Unavailable} says nothing about it: VIES, or the member state behind it, could not
 * answer (it often cannot, for hours at a time), and treating that as "not registered" would tax a business wrongly.
 */
public sealed interface VatCheckOutcome {

    /** Registered, with the name and address the member state discloses; some disclose neither. */
    record Valid(String name, String address, Instant checkedAt) implements VatCheckOutcome {

        public Valid {
            Objects.requireNonNull(checkedAt, "checkedAt");
            name = disclosed(name);
            address = disclosed(address);
        }
    }

    /** Not a registered VAT number, as of {@code checkedAt}. */
    record Invalid(Instant checkedAt) implements VatCheckOutcome {

        public Invalid {
            Objects.requireNonNull(checkedAt, "checkedAt");
        }
    }

    /**
     * No answer about the number. The reason is VIES's own error code ({@code MS_UNAVAILABLE},
     * {@code MS_MAX_CONCURRENT_REQ}, {@code SERVICE_UNAVAILABLE}, ...) or what failed on the way
     * ({@code CLIENT_TIMEOUT}, {@code CIRCUIT_OPEN}, ...).
     */
    record Unavailable(String reason) implements VatCheckOutcome {

        public Unavailable {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an unavailable check needs a reason");
            }
        }
    }

    /** VIES writes {@code ---} where a member state withholds a value. */
    private static String disclosed(String value) {
        if (value == null || value.isBlank() || value.strip().equals("---")) {
            return null;
        }
        return value.strip();
    }
}
