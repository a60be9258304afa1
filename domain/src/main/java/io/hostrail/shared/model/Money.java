package io.hostrail.shared.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money: a whole number of the currency's minor units (cents, pence, yen).
 *
 * <p>Never a float. Arithmetic refuses to mix currencies and to silently drop fractions of a
 * minor unit: conversions from decimals with more digits than the currency has fail, and the only
 * operations that can produce fractions ({@link #times(BigDecimal, RoundingMode)}) take the
 * rounding mode explicitly. {@link #allocate(long...)} splits an amount without losing or
 * inventing a minor unit.
 */
public record Money(long minorUnits, Currency currency) implements Comparable<Money> {

    /** Half-even is the default for money unless a tax rule says otherwise. */
    public static final RoundingMode DEFAULT_ROUNDING = RoundingMode.HALF_EVEN;

    /** Whole major units an amount may have: 10^15 is beyond any invoice and safely inside a long of minor units. */
    static final int MAX_MAJOR_DIGITS = 15;

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException(
                    "currency " + currency.getCurrencyCode() + " has no minor unit and cannot hold money");
        }
    }

    public static Money ofMinor(long minorUnits, String currencyCode) {
        return new Money(minorUnits, currency(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    public static Money zero(String currencyCode) {
        return zero(currency(currencyCode));
    }

    /**
     * Exact conversion from a decimal amount in major units ("12.34" USD). An amount with more
     * decimal places than the currency has ("12.345" USD, "1.5" JPY) is refused, not rounded.
     */
    public static Money of(BigDecimal majorUnits, String currencyCode) {
        Currency currency = currency(currencyCode);
        Objects.requireNonNull(majorUnits, "amount");
        // Checked on the stripped form first: "1E+99999999" must be refused, not expanded into memory.
        BigDecimal stripped = majorUnits.stripTrailingZeros();
        if (stripped.precision() - stripped.scale() > MAX_MAJOR_DIGITS) {
            throw new IllegalArgumentException("amount " + majorUnits + " is too large");
        }
        if (stripped.scale() > currency.getDefaultFractionDigits()) {
            throw new IllegalArgumentException("amount " + majorUnits.toPlainString() + " has more decimal places than "
                    + currency.getCurrencyCode() + " allows (" + currency.getDefaultFractionDigits() + ")");
        }
        BigDecimal minor = majorUnits.movePointRight(currency.getDefaultFractionDigits());
        try {
            return new Money(minor.longValueExact(), currency);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount " + majorUnits.toPlainString() + " has more decimal places than "
                    + currency.getCurrencyCode() + " allows (" + currency.getDefaultFractionDigits() + ") or is too large", e);
        }
    }

    public static Money parse(String majorUnits, String currencyCode) {
        Objects.requireNonNull(majorUnits, "amount");
        try {
            return of(new BigDecimal(majorUnits.trim()), currencyCode);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("amount '" + majorUnits + "' is not a decimal number", e);
        }
    }

    private static Currency currency(String currencyCode) {
        Objects.requireNonNull(currencyCode, "currency");
        try {
            return Currency.getInstance(currencyCode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + currencyCode + "' is not an ISO 4217 currency code", e);
        }
    }

    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    /** The amount in major units with exactly the currency's number of decimals, e.g. {@code 12.30}. */
    public BigDecimal toMajorUnits() {
        return BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits());
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minorUnits, other.minorUnits), currency);
    }

    public Money times(long quantity) {
        return new Money(Math.multiplyExact(minorUnits, quantity), currency);
    }

    /**
     * Multiplies by a factor (a tax rate, a proration ratio) and rounds to a whole minor unit.
     * The single place where fractions of a minor unit are resolved, so the mode is never implicit.
     */
    public Money times(BigDecimal factor, RoundingMode rounding) {
        Objects.requireNonNull(factor, "factor");
        Objects.requireNonNull(rounding, "rounding");
        BigDecimal exact = BigDecimal.valueOf(minorUnits).multiply(factor);
        return new Money(exact.setScale(0, rounding).longValueExact(), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minorUnits), currency);
    }

    public boolean isZero() {
        return minorUnits == 0;
    }

    public boolean isNegative() {
        return minorUnits < 0;
    }

    public boolean isPositive() {
        return minorUnits > 0;
    }

    /**
     * Splits this amount in proportion to the given weights. The parts always add up to exactly
     * this amount: the minor units left over by rounding down are handed out one each, to the
     * parts with the largest remainders first (ties to the earlier part).
     */
    public Money[] allocate(long... weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("allocation needs at least one weight");
        }
        long total = 0;
        for (long weight : weights) {
            if (weight < 0) {
                throw new IllegalArgumentException("allocation weights must not be negative");
            }
            total = Math.addExact(total, weight);
        }
        if (total == 0) {
            throw new IllegalArgumentException("allocation weights must not all be zero");
        }
        // The magnitude as a BigInteger: Math.abs(Long.MIN_VALUE) is still negative.
        BigInteger amount = BigInteger.valueOf(minorUnits).abs();
        BigInteger totalWeight = BigInteger.valueOf(total);
        BigInteger[] parts = new BigInteger[weights.length];
        BigInteger[] remainders = new BigInteger[weights.length];
        BigInteger allocated = BigInteger.ZERO;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] quotientAndRemainder =
                    amount.multiply(BigInteger.valueOf(weights[i])).divideAndRemainder(totalWeight);
            parts[i] = quotientAndRemainder[0];
            remainders[i] = quotientAndRemainder[1];
            allocated = allocated.add(parts[i]);
        }
        long leftOver = amount.subtract(allocated).longValueExact();
        Integer[] byRemainder = new Integer[weights.length];
        Arrays.setAll(byRemainder, i -> i);
        Arrays.sort(byRemainder, (a, b) -> remainders[b].compareTo(remainders[a]));
        for (int i = 0; leftOver > 0; i++, leftOver--) {
            parts[byRemainder[i]] = parts[byRemainder[i]].add(BigInteger.ONE);
        }
        Money[] result = new Money[weights.length];
        for (int i = 0; i < parts.length; i++) {
            BigInteger signed = minorUnits < 0 ? parts[i].negate() : parts[i];
            result[i] = new Money(signed.longValueExact(), currency);
        }
        return result;
    }

    /** Splits into {@code n} parts as equal as possible; the earlier parts take the odd minor units. */
    public Money[] split(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("cannot split into " + n + " parts");
        }
        long[] weights = new long[n];
        Arrays.fill(weights, 1);
        return allocate(weights);
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minorUnits, other.minorUnits);
    }

    private void requireSameCurrency(Money other) {
        Objects.requireNonNull(other, "other");
        if (!currency.equals(other.currency)) {
            throw new CurrencyMismatchException(currency, other.currency);
        }
    }

    @Override
    public String toString() {
        return toMajorUnits().toPlainString() + " " + currency.getCurrencyCode();
    }
}
