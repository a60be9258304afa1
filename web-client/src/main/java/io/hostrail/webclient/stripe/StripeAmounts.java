package io.hostrail.webclient.stripe;

import io.hostrail.shared.model.Money;
import java.util.Currency;
import java.util.Locale;

/**
 * Money in Stripe's terms: an integer of the currency's minor units (zero-decimal currencies such as JPY count whole
 * units), and the currency's ISO code in lower case. Icelandic króna is the exception: ISO gives it no decimals, but
 * Stripe, for backwards compatibility, takes it with two that must be zero.
 */
final class StripeAmounts {

    private StripeAmounts() {
    }

    static long amount(Money money) {
        return isk(money.currency()) ? Math.multiplyExact(money.minorUnits(), 100) : money.minorUnits();
    }

    static String currency(Money money) {
        return money.currencyCode().toLowerCase(Locale.ROOT);
    }

    static Money money(long amount, String currency) {
        Money money = Money.ofMinor(amount, currency.toUpperCase(Locale.ROOT));
        if (isk(money.currency())) {
            if (amount % 100 != 0) {
                throw new IllegalArgumentException("Stripe gave an ISK amount with a fraction: " + amount);
            }
            return Money.ofMinor(amount / 100, "ISK");
        }
        return money;
    }

    private static boolean isk(Currency currency) {
        return currency.getCurrencyCode().equals("ISK");
    }
}
