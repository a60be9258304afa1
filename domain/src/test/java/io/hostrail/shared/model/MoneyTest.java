package io.hostrail.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Currency;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @Nested
    class Parsing {

        @ParameterizedTest(name = "{0} {1} = {2} minor units")
        @CsvSource({
            "12.34, USD, 1234",
            "1000,  JPY, 1000",
            "1.234, BHD, 1234",
            "0.01,  USD, 1",
            "-7.5,  EUR, -750",
            "0,     USD, 0",
        })
        void convertsMajorUnitsToMinorUnitsExactly(String amount, String currency, long expectedMinor) {
            Money money = Money.parse(amount, currency);

            assertThat(money.minorUnits()).isEqualTo(expectedMinor);
            assertThat(money.currencyCode()).isEqualTo(currency);
        }

        @ParameterizedTest(name = "{0} {1}")
        @CsvSource({
            "12.345, USD",
            "1.5,    JPY",
            "1.2345, BHD",
            "0.001,  EUR",
        })
        void refusesAmountsWithMoreDecimalsThanTheCurrencyHas(String amount, String currency) {
            assertThatThrownBy(() -> Money.parse(amount, currency))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more decimal places");
        }

        @Test
        void acceptsTrailingZerosBeyondTheCurrencyScaleBecauseTheAmountIsStillExact() {
            assertThat(Money.parse("12.340", "USD")).isEqualTo(Money.ofMinor(1234, "USD"));
            assertThat(Money.parse("1000.000", "JPY")).isEqualTo(Money.ofMinor(1000, "JPY"));
        }

        @Test
        void convertsFromBigDecimalTheSameWayAsFromText() {
            assertThat(Money.of(new BigDecimal("12.34"), "USD")).isEqualTo(Money.parse("12.34", "USD"));
        }

        @Test
        void ignoresSurroundingWhitespaceInText() {
            assertThat(Money.parse("  12.34 ", "USD")).isEqualTo(Money.ofMinor(1234, "USD"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "12,34", "twelve", "1.2.3"})
        void refusesTextThatIsNotADecimalNumber(String amount) {
            assertThatThrownBy(() -> Money.parse(amount, "USD"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a decimal number");
        }

        @Test
        void refusesAmountsTooLargeForALong() {
            assertThatThrownBy(() -> Money.parse("100000000000000000000", "USD"))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"ABC", "usd", "US", "DOLLAR"})
        void refusesCodesThatAreNotIso4217(String code) {
            assertThatThrownBy(() -> Money.parse("1.00", code))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an ISO 4217 currency code");
        }

        @Test
        void refusesACurrencyWithNoMinorUnit() {
            assertThatThrownBy(() -> Money.ofMinor(100, "XXX"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no minor unit");
            assertThatThrownBy(() -> Money.zero(Currency.getInstance("XXX")))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refusesAMissingCurrency() {
            assertThatThrownBy(() -> new Money(1, null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class Arithmetic {

        private final Money tenDollars = Money.ofMinor(1000, "USD");
        private final Money tenEuros = Money.ofMinor(1000, "EUR");

        @Test
        void addsAndSubtractsInTheSameCurrency() {
            Money threeFifty = Money.ofMinor(350, "USD");

            assertThat(tenDollars.plus(threeFifty)).isEqualTo(Money.ofMinor(1350, "USD"));
            assertThat(tenDollars.minus(threeFifty)).isEqualTo(Money.ofMinor(650, "USD"));
            assertThat(threeFifty.minus(tenDollars)).isEqualTo(Money.ofMinor(-650, "USD"));
        }

        @Test
        void refusesToAddDifferentCurrencies() {
            assertThatThrownBy(() -> tenDollars.plus(tenEuros))
                    .isInstanceOf(CurrencyMismatchException.class)
                    .hasMessage("cannot combine USD with EUR");
        }

        @Test
        void refusesToSubtractDifferentCurrencies() {
            assertThatThrownBy(() -> tenDollars.minus(tenEuros)).isInstanceOf(CurrencyMismatchException.class);
        }

        @Test
        void refusesToCompareDifferentCurrencies() {
            assertThatThrownBy(() -> tenDollars.compareTo(tenEuros)).isInstanceOf(CurrencyMismatchException.class);
        }

        @Test
        void comparesByAmountWithinOneCurrency() {
            assertThat(Money.ofMinor(999, "USD")).isLessThan(tenDollars);
            assertThat(Money.ofMinor(1001, "USD")).isGreaterThan(tenDollars);
            assertThat(Money.ofMinor(1000, "USD")).isEqualByComparingTo(tenDollars);
        }

        @Test
        void throwsOnOverflowInsteadOfWrappingAround() {
            Money max = Money.ofMinor(Long.MAX_VALUE, "USD");
            Money min = Money.ofMinor(Long.MIN_VALUE, "USD");
            Money oneCent = Money.ofMinor(1, "USD");

            assertThatThrownBy(() -> max.plus(oneCent)).isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> min.minus(oneCent)).isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> max.times(2)).isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(min::negate).isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> max.times(new BigDecimal("1.5"), Money.DEFAULT_ROUNDING))
                    .isInstanceOf(ArithmeticException.class);
        }

        @Test
        void multipliesByAWholeQuantity() {
            assertThat(Money.ofMinor(250, "USD").times(3)).isEqualTo(Money.ofMinor(750, "USD"));
        }

        @Test
        void negatesAndReportsItsSign() {
            Money minusTen = tenDollars.negate();

            assertThat(minusTen.minorUnits()).isEqualTo(-1000);
            assertThat(minusTen.isNegative()).isTrue();
            assertThat(tenDollars.isPositive()).isTrue();
            assertThat(Money.zero("USD").isZero()).isTrue();
            assertThat(Money.zero("USD").isPositive()).isFalse();
            assertThat(Money.zero("USD").isNegative()).isFalse();
        }

        @Test
        void defaultRoundingIsHalfEven() {
            assertThat(Money.DEFAULT_ROUNDING).isEqualTo(RoundingMode.HALF_EVEN);
        }

        @ParameterizedTest(name = "{0} x {1} = {2}")
        @CsvSource({
            "5,   0.5,  2",
            "15,  0.5,  8",
            "25,  0.5,  12",
            "-5,  0.5,  -2",
            "-15, 0.5,  -8",
            "1000, 0.19, 190",
            "333, 0.333, 111",
        })
        void roundsAFractionalProductToTheNearestEvenMinorUnitByDefault(long minor, String factor, long expected) {
            Money product = Money.ofMinor(minor, "USD").times(new BigDecimal(factor), Money.DEFAULT_ROUNDING);

            assertThat(product).isEqualTo(Money.ofMinor(expected, "USD"));
        }

        @Test
        void roundsWithTheModeItIsGiven() {
            Money fiveCents = Money.ofMinor(5, "USD");
            BigDecimal half = new BigDecimal("0.5");

            assertThat(fiveCents.times(half, RoundingMode.HALF_UP).minorUnits()).isEqualTo(3);
            assertThat(fiveCents.times(half, RoundingMode.DOWN).minorUnits()).isEqualTo(2);
            assertThat(fiveCents.times(half, RoundingMode.CEILING).minorUnits()).isEqualTo(3);
        }

        @Test
        void refusesToResolveAFractionWhenToldNotToRound() {
            assertThatThrownBy(() -> Money.ofMinor(5, "USD").times(new BigDecimal("0.5"), RoundingMode.UNNECESSARY))
                    .isInstanceOf(ArithmeticException.class);
        }
    }

    @Nested
    class Allocation {

        @Test
        void splitsIntoEqualPartsGivingTheOddMinorUnitsToTheEarlierParts() {
            assertThat(minorUnits(Money.ofMinor(100, "USD").split(3))).containsExactly(34, 33, 33);
        }

        @Test
        void allocatesEqualWeightsWithEarlierPartsWinningTies() {
            assertThat(minorUnits(Money.ofMinor(5, "USD").allocate(1, 1, 1))).containsExactly(2, 2, 1);
        }

        @Test
        void allocatesByWeightGivingLeftoversToTheLargestRemainders() {
            // exact shares: 700.7, 200.2, 100.1 -> floors 700, 200, 100; the one left over goes to .7
            Money[] parts = Money.ofMinor(1001, "USD").allocate(70, 20, 10);

            assertThat(minorUnits(parts)).containsExactly(701, 200, 100);
            assertThat(sum(parts)).isEqualTo(BigInteger.valueOf(1001));
        }

        @Test
        void givesLeftoversToTheLargestRemainderEvenWhenItIsNotTheFirstPart() {
            // exact shares: 3.33.., 6.66.. -> floors 3, 6; the left over goes to the second part
            assertThat(minorUnits(Money.ofMinor(10, "USD").allocate(1, 2))).containsExactly(3, 7);
        }

        @Test
        void allocatesNegativeAmountsSymmetrically() {
            assertThat(minorUnits(Money.ofMinor(-100, "USD").split(3))).containsExactly(-34, -33, -33);
            assertThat(minorUnits(Money.ofMinor(-1001, "USD").allocate(70, 20, 10))).containsExactly(-701, -200, -100);
        }

        @Test
        void givesNothingToAZeroWeight() {
            assertThat(minorUnits(Money.ofMinor(101, "USD").allocate(1, 0, 1))).containsExactly(51, 0, 50);
            assertThat(minorUnits(Money.ofMinor(7, "USD").allocate(0, 3, 0))).containsExactly(0, 7, 0);
        }

        @Test
        void allocatesZeroAsZeros() {
            assertThat(minorUnits(Money.zero("USD").allocate(1, 2, 3))).containsExactly(0, 0, 0);
        }

        @Test
        void keepsTheCurrencyInEveryPart() {
            assertThat(Money.ofMinor(1000, "JPY").split(3)).extracting(Money::currencyCode).containsOnly("JPY");
        }

        @Test
        void refusesEmptyWeights() {
            assertThatThrownBy(() -> Money.ofMinor(100, "USD").allocate())
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refusesNegativeWeights() {
            assertThatThrownBy(() -> Money.ofMinor(100, "USD").allocate(2, -1))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refusesWeightsThatAreAllZero() {
            assertThatThrownBy(() -> Money.ofMinor(100, "USD").allocate(0, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1})
        void refusesToSplitIntoFewerThanOnePart(int n) {
            assertThatThrownBy(() -> Money.ofMinor(100, "USD").split(n))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void neverLosesNorInventsAMinorUnitAndKeepsEachPartWithinOneUnitOfItsExactShare() {
            Random random = new Random(20_240_601L);
            for (int run = 0; run < 2_000; run++) {
                long amount = randomAmount(random);
                long[] weights = randomWeights(random);

                Money[] parts = Money.ofMinor(amount, "USD").allocate(weights);

                String context = "allocating " + amount + " by " + Arrays.toString(weights) + " gave "
                        + Arrays.toString(parts);
                assertThat(parts).as(context).hasSameSizeAs(weights);
                assertThat(sum(parts)).as(context).isEqualTo(BigInteger.valueOf(amount));
                BigInteger total = BigInteger.valueOf(Arrays.stream(weights).sum());
                for (int i = 0; i < weights.length; i++) {
                    // |part - amount * w / total| < 1  <=>  |part * total - amount * w| < total
                    BigInteger distance = BigInteger.valueOf(parts[i].minorUnits()).multiply(total)
                            .subtract(BigInteger.valueOf(amount).multiply(BigInteger.valueOf(weights[i])))
                            .abs();
                    assertThat(distance).as(context + ", part " + i).isLessThan(total);
                    if (weights[i] == 0) {
                        assertThat(parts[i].isZero()).as(context + ", part " + i).isTrue();
                    }
                    if (amount != 0 && !parts[i].isZero()) {
                        assertThat(Long.signum(parts[i].minorUnits())).as(context).isEqualTo(Long.signum(amount));
                    }
                }
            }
        }

        private static long randomAmount(Random random) {
            return switch (random.nextInt(4)) {
                case 0 -> random.nextLong(-1_000, 1_001);
                case 1 -> random.nextLong(-1_000_000_000_000L, 1_000_000_000_001L);
                case 2 -> random.nextLong(Long.MIN_VALUE + 1, Long.MAX_VALUE);
                default -> random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(10) : Long.MIN_VALUE + 1 + random.nextInt(10);
            };
        }

        private static long[] randomWeights(Random random) {
            long[] weights = new long[1 + random.nextInt(8)];
            long bound = random.nextBoolean() ? 10 : 1_000_000;
            for (int i = 0; i < weights.length; i++) {
                weights[i] = random.nextInt(4) == 0 ? 0 : random.nextLong(bound);
            }
            if (Arrays.stream(weights).allMatch(weight -> weight == 0)) {
                weights[random.nextInt(weights.length)] = 1 + random.nextLong(bound);
            }
            return weights;
        }
    }

    @Nested
    class Presentation {

        @Test
        void printsMajorUnitsWithTheCurrencyScalePreserved() {
            assertThat(Money.ofMinor(1230, "USD")).hasToString("12.30 USD");
            assertThat(Money.ofMinor(5, "USD")).hasToString("0.05 USD");
            assertThat(Money.ofMinor(-5, "USD")).hasToString("-0.05 USD");
            assertThat(Money.ofMinor(1000, "JPY")).hasToString("1000 JPY");
            assertThat(Money.ofMinor(1234, "BHD")).hasToString("1.234 BHD");
        }

        @Test
        void givesMajorUnitsWithExactlyTheCurrencyNumberOfDecimals() {
            BigDecimal major = Money.ofMinor(1230, "USD").toMajorUnits();

            assertThat(major).isEqualTo(new BigDecimal("12.30"));
            assertThat(major.scale()).isEqualTo(2);
            assertThat(Money.ofMinor(1000, "JPY").toMajorUnits().scale()).isZero();
        }

        @Test
        void roundTripsThroughMajorUnits() {
            Money money = Money.ofMinor(1234, "BHD");

            assertThat(Money.of(money.toMajorUnits(), money.currencyCode())).isEqualTo(money);
        }

        @Test
        void zeroHasNoMinorUnitsInTheGivenCurrency() {
            assertThat(Money.zero("EUR")).isEqualTo(Money.ofMinor(0, "EUR"));
            assertThat(Money.zero("EUR")).hasToString("0.00 EUR");
        }

        @Test
        void isEqualOnlyToTheSameAmountInTheSameCurrency() {
            assertThat(Money.ofMinor(100, "USD"))
                    .isEqualTo(Money.ofMinor(100, "USD"))
                    .hasSameHashCodeAs(Money.ofMinor(100, "USD"))
                    .isNotEqualTo(Money.ofMinor(100, "EUR"))
                    .isNotEqualTo(Money.ofMinor(101, "USD"));
        }
    }

    private static long[] minorUnits(Money[] parts) {
        return Arrays.stream(parts).mapToLong(Money::minorUnits).toArray();
    }

    private static BigInteger sum(Money[] parts) {
        return Arrays.stream(parts)
                .map(part -> BigInteger.valueOf(part.minorUnits()))
                .reduce(BigInteger.ZERO, BigInteger::add);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1E+99999999", "1E+2147483647", "1E-99999999", "9999999999999999", "1e400"})
    void hugeOrTinyExponentsAreRefusedQuicklyNotExpanded(String amount) {
        assertThatThrownBy(() -> Money.parse(amount, "EUR")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fifteenWholeDigitsAreTheMost() {
        assertThat(Money.parse("999999999999999.99", "EUR").minorUnits()).isEqualTo(99_999_999_999_999_999L);
        assertThat(Money.parse("1.50E+2", "EUR").minorUnits()).isEqualTo(15_000L);
    }
}
