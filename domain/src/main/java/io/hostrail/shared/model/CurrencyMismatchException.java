package io.hostrail.shared.model;

import java.util.Currency;

/** Raised when two amounts of different currencies meet in one operation: never converted silently. */
public final class CurrencyMismatchException extends IllegalArgumentException {

    public CurrencyMismatchException(Currency left, Currency right) {
        super("cannot combine " + left.getCurrencyCode() + " with " + right.getCurrencyCode());
    }
}
