package io.hostrail.coupon.model;

import io.hostrail.shared.model.Money;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What a coupon takes off: a percentage of each eligible line, or a fixed amount per currency shared among them. */
public sealed interface Discount {

    /** Whether the discount can be given on an order in {@code currencyCode}. */
    boolean supports(String currencyCode);

    /** A percentage of the eligible lines; 0.0001 % is as fine as a coupon needs to go. */
    record Percent(BigDecimal percent) implements Discount {

        public static final int MAX_SCALE = 4;
        private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

        public Percent {
            Objects.requireNonNull(percent, "percent");
            if (percent.signum() <= 0 || percent.compareTo(HUNDRED) > 0) {
                throw new IllegalArgumentException("percent: from 0.0001 to 100");
            }
            BigDecimal stripped = percent.stripTrailingZeros();
            if (stripped.scale() > MAX_SCALE) {
                throw new IllegalArgumentException("percent: at most " + MAX_SCALE + " decimal places");
            }
            // One form per value, so 10, 10.0 and 1E+1 are the same discount (and never printed as 1E+1).
            percent = stripped.scale() < 0 ? stripped.setScale(0) : stripped;
        }

        /** The percentage as a fraction: 15 % is 0.15. */
        public BigDecimal fraction() {
            return percent.movePointLeft(2);
        }

        @Override
        public boolean supports(String currencyCode) {
            return true;
        }
    }

    /**
     * A fixed amount off, stated per currency since exchange rates are not a coupon's business: an order in a currency
     * the coupon has no amount for cannot use it.
     */
    record FixedAmount(List<Money> amounts) implements Discount {

        public FixedAmount {
            amounts = List.copyOf(amounts);
            if (amounts.isEmpty()) {
                throw new IllegalArgumentException("amounts: at least one amount is required");
            }
            Set<Currency> seen = new HashSet<>();
            for (Money amount : amounts) {
                if (!amount.isPositive()) {
                    throw new IllegalArgumentException("amounts: " + amount + " is not positive");
                }
                if (!seen.add(amount.currency())) {
                    throw new IllegalArgumentException("amounts: more than one amount in " + amount.currencyCode());
                }
            }
        }

        public Optional<Money> amountIn(Currency currency) {
            return amounts.stream().filter(amount -> amount.currency().equals(currency)).findFirst();
        }

        @Override
        public boolean supports(String currencyCode) {
            return amounts.stream().anyMatch(amount -> amount.currencyCode().equals(currencyCode));
        }
    }
}
