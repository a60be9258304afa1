package io.hostrail.tax.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One tax applied to a line: a name ("VAT", "GST", "QST"), a percentage and whether it is compound, that is charged
 * on the price plus the taxes before it (as Quebec's QST was on GST until 2013) rather than on the price alone.
 */
public record TaxRate(String name, BigDecimal percent, boolean compound) {

    /** 0.0001 % is as fine as any tax authority goes. */
    public static final int MAX_SCALE = 4;

    public TaxRate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(percent, "percent");
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("percent must be between 0 and 100");
        }
        if (percent.stripTrailingZeros().scale() > MAX_SCALE) {
            throw new IllegalArgumentException("percent has more than " + MAX_SCALE + " decimal places");
        }
    }

    /** The rate as a fraction: 19 % is 0.19. */
    public BigDecimal fraction() {
        return percent.movePointLeft(2);
    }
}
