package io.hostrail.webclient.paypal;

import io.hostrail.shared.model.Money;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Money in PayPal's terms: {@code {"currency_code": "EUR", "value": "12.30"}}, the value a decimal string in major
 * units with as many decimals as PayPal allows the currency. That is the ISO number, except for the currencies PayPal
 * takes in whole units only (HUF and TWD have two decimals in ISO 4217, none at PayPal): an amount of those with a
 * fraction cannot be sent at all.
 */
final class PayPalAmounts {

    private static final Map<String, Integer> PAYPAL_DIGITS = Map.of("HUF", 0, "TWD", 0, "JPY", 0);

    private PayPalAmounts() {
    }

    static String value(Money money) {
        int digits = PAYPAL_DIGITS.getOrDefault(money.currencyCode(), money.currency().getDefaultFractionDigits());
        BigDecimal major = money.toMajorUnits();
        try {
            return major.setScale(digits, java.math.RoundingMode.UNNECESSARY).toPlainString();
        } catch (ArithmeticException fraction) {
            throw new IllegalArgumentException("PayPal takes " + money.currencyCode() + " in whole units only, not " + money,
                    fraction);
        }
    }

    static Money money(String value, String currencyCode) {
        return Money.parse(value, currencyCode);
    }
}
