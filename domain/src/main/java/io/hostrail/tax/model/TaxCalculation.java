package io.hostrail.tax.model;

import io.hostrail.shared.model.Money;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * The taxes on an invoice's lines, to the minor unit, such that nothing is created or lost by rounding:
 * each line's gross is its net plus its taxes, each rate's total is the sum of its line amounts, and the invoice's
 * gross is its net plus its tax.
 *
 * <p>Every line is taxed at the same rates, in order; a compound rate is charged on the net plus the taxes before it.
 * Prices are either {@link Basis#EXCLUSIVE} (the line amount is the net; taxes are added) or {@link Basis#INCLUSIVE}
 * (the line amount is the gross the customer pays, which stays exactly as listed; the net is what remains after the
 * taxes it contains).
 *
 * <p>Rounding is half-even, and happens either {@link Rounding#PER_LINE} (each line's taxes are rounded, and the
 * invoice's totals are their sums) or {@link Rounding#PER_INVOICE} (each rate is rounded once on the invoice's total,
 * then shared among the lines in proportion to their amounts by largest remainder). The two can differ by a few minor
 * units on invoices with many small lines; which one applies is a tenant setting.
 */
public final class TaxCalculation {

    public enum Basis { EXCLUSIVE, INCLUSIVE }

    public enum Rounding { PER_LINE, PER_INVOICE }

    /** One line: its net, its tax per rate (in the order of the rates) and its gross. */
    public record LineTax(Money net, List<Money> taxes, Money gross) {

        public LineTax {
            taxes = List.copyOf(taxes);
        }

        public Money tax() {
            return taxes.stream().reduce(Money.zero(net.currency()), Money::plus);
        }
    }

    public record Result(List<LineTax> lines, List<Money> totalPerRate, Money net, Money tax, Money gross) {

        public Result {
            lines = List.copyOf(lines);
            totalPerRate = List.copyOf(totalPerRate);
        }
    }

    private static final RoundingMode ROUNDING = Money.DEFAULT_ROUNDING;
    private static final MathContext EXACT = MathContext.DECIMAL128;
    /** Rate factors become allocation weights at this precision; the amounts shared are already exact. */
    private static final int WEIGHT_SCALE = 12;

    private TaxCalculation() {
    }

    /**
     * @param amounts the lines' amounts, net or gross as {@code basis} says; not negative (a credit note is calculated
     *                as positive lines and then negated), all in one currency
     */
    public static Result calculate(Currency currency, List<Money> amounts, List<TaxRate> rates, Basis basis,
            Rounding rounding) {
        Objects.requireNonNull(currency, "currency");
        for (Money amount : amounts) {
            if (!amount.currency().equals(currency)) {
                throw new IllegalArgumentException("every line must be in " + currency.getCurrencyCode());
            }
            if (amount.isNegative()) {
                throw new IllegalArgumentException("line amounts must not be negative");
            }
        }
        BigDecimal[] factors = factors(rates);
        List<LineTax> lines = switch (rounding) {
            case PER_LINE -> amounts.stream().map(amount -> perLine(amount, rates, factors, basis)).toList();
            case PER_INVOICE -> perInvoice(currency, amounts, factors, basis);
        };
        Money zero = Money.zero(currency);
        List<Money> perRate = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            int rate = i;
            perRate.add(lines.stream().map(line -> line.taxes().get(rate)).reduce(zero, Money::plus));
        }
        Money net = lines.stream().map(LineTax::net).reduce(zero, Money::plus);
        Money tax = perRate.stream().reduce(zero, Money::plus);
        return new Result(lines, perRate, net, tax, net.plus(tax));
    }

    /**
     * Each rate's share of the net: a plain rate's fraction, a compound rate's fraction of the net plus the shares
     * before it. The taxes on a net {@code n} are {@code n * factor[i]}, and the gross is {@code n * (1 + sum)}.
     */
    private static BigDecimal[] factors(List<TaxRate> rates) {
        BigDecimal[] factors = new BigDecimal[rates.size()];
        BigDecimal running = BigDecimal.ONE;
        for (int i = 0; i < rates.size(); i++) {
            TaxRate rate = rates.get(i);
            factors[i] = rate.compound() ? running.multiply(rate.fraction()) : rate.fraction();
            running = running.add(factors[i]);
        }
        return factors;
    }

    private static LineTax perLine(Money amount, List<TaxRate> rates, BigDecimal[] factors, Basis basis) {
        if (basis == Basis.EXCLUSIVE) {
            // Each tax is rounded on the line; a compound one is charged on the net plus the rounded taxes before it.
            List<Money> taxes = new ArrayList<>();
            Money base = amount;
            for (TaxRate rate : rates) {
                Money tax = (rate.compound() ? base : amount).times(rate.fraction(), ROUNDING);
                taxes.add(tax);
                base = base.plus(tax);
            }
            return new LineTax(amount, taxes, base);
        }
        Money net = netOf(amount, factors);
        return new LineTax(net, share(amount.minus(net), factors), amount);
    }

    private static List<LineTax> perInvoice(Currency currency, List<Money> amounts, BigDecimal[] factors, Basis basis) {
        Money total = amounts.stream().reduce(Money.zero(currency), Money::plus);
        Money totalNet = basis == Basis.EXCLUSIVE ? total : netOf(total, factors);
        // Each rate rounded once, on the invoice: exclusive on the total net, inclusive as its share of the tax inside.
        List<Money> rateTotals = basis == Basis.EXCLUSIVE
                ? Arrays.stream(factors).map(factor -> totalNet.times(factor, ROUNDING)).toList()
                : share(total.minus(totalNet), factors);
        long[] lineWeights = amounts.stream().mapToLong(Money::minorUnits).toArray();
        List<Money[]> rateByLine = rateTotals.stream().map(rateTotal -> spread(rateTotal, lineWeights)).toList();
        List<LineTax> lines = new ArrayList<>();
        for (int line = 0; line < amounts.size(); line++) {
            int index = line;
            List<Money> taxes = rateByLine.stream().map(shares -> shares[index]).toList();
            Money tax = taxes.stream().reduce(Money.zero(currency), Money::plus);
            Money amount = amounts.get(line);
            lines.add(basis == Basis.EXCLUSIVE ? new LineTax(amount, taxes, amount.plus(tax))
                    : new LineTax(amount.minus(tax), taxes, amount));
        }
        return lines;
    }

    /** The net inside a gross amount, rounded; the tax is what is left, so net + tax is the gross exactly. */
    private static Money netOf(Money gross, BigDecimal[] factors) {
        BigDecimal multiplier = Arrays.stream(factors).reduce(BigDecimal.ONE, BigDecimal::add);
        BigDecimal net = BigDecimal.valueOf(gross.minorUnits()).divide(multiplier, EXACT).setScale(0, ROUNDING);
        return new Money(net.longValueExact(), gross.currency());
    }

    /** Shares a tax amount among the rates in proportion to their factors, losing nothing. */
    private static List<Money> share(Money tax, BigDecimal[] factors) {
        long[] weights = Arrays.stream(factors)
                .mapToLong(factor -> factor.movePointRight(WEIGHT_SCALE).setScale(0, RoundingMode.HALF_EVEN).longValueExact())
                .toArray();
        return Arrays.asList(spread(tax, weights));
    }

    /** {@link Money#allocate}, also when there is nothing to share or nothing to weigh by. */
    private static Money[] spread(Money amount, long[] weights) {
        if (weights.length == 0) {
            if (!amount.isZero()) {
                throw new IllegalStateException("cannot share " + amount + " among nothing");
            }
            return new Money[0];
        }
        if (amount.isZero() || Arrays.stream(weights).allMatch(weight -> weight == 0)) {
            Money[] zeros = new Money[weights.length];
            Arrays.fill(zeros, Money.zero(amount.currency()));
            if (!amount.isZero()) {
                throw new IllegalStateException("cannot share " + amount + " by zero weights");
            }
            return zeros;
        }
        return amount.allocate(weights);
    }
}
