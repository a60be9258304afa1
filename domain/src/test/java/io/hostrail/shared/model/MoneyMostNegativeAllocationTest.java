package io.hostrail.shared.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Math.abs(Long.MIN_VALUE) is negative: the most negative amount must still split into negative parts. */
class MoneyMostNegativeAllocationTest {

    @Test
    void splitsTheMostNegativeAmountIntoNegativePartsThatAddUpToIt() {
        Money min = Money.ofMinor(Long.MIN_VALUE, "USD");

        Money[] halves = min.split(2);
        Money[] thirds = min.split(3);

        assertThat(halves).extracting(Money::minorUnits).containsExactly(Long.MIN_VALUE / 2, Long.MIN_VALUE / 2);
        assertThat(thirds).extracting(Money::minorUnits)
                .containsExactly(-3074457345618258603L, -3074457345618258603L, -3074457345618258602L);
        assertThat(Arrays.stream(thirds).map(m -> BigInteger.valueOf(m.minorUnits())).reduce(BigInteger.ZERO, BigInteger::add))
                .isEqualTo(BigInteger.valueOf(Long.MIN_VALUE));
    }

    @Test
    void allocatesAllOfTheMostNegativeAmountToTheOnlyWeightedPart() {
        assertThat(Money.ofMinor(Long.MIN_VALUE, "USD").allocate(0, 1)).extracting(Money::minorUnits)
                .containsExactly(0L, Long.MIN_VALUE);
    }
}
