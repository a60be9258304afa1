package io.hostrail.tax.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.shared.model.Money;
import io.hostrail.tax.model.TaxCalculation.Basis;
import io.hostrail.tax.model.TaxCalculation.LineTax;
import io.hostrail.tax.model.TaxCalculation.Result;
import io.hostrail.tax.model.TaxCalculation.Rounding;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What must hold for any lines, rates, currency, basis and rounding: no minor unit is created or lost. */
class TaxCalculationProperties {

    @Property(tries = 2000)
    void nothingIsCreatedOrLost(@ForAll("currencies") Currency currency, @ForAll("amounts") List<Long> minorAmounts,
            @ForAll("rates") List<TaxRate> rates, @ForAll Basis basis, @ForAll Rounding rounding) {
        List<Money> amounts = minorAmounts.stream().map(minor -> new Money(minor, currency)).toList();
        Result result = TaxCalculation.calculate(currency, amounts, rates, basis, rounding);

        Money zero = Money.zero(currency);
        assertThat(result.lines()).hasSameSizeAs(amounts);
        for (int i = 0; i < amounts.size(); i++) {
            LineTax line = result.lines().get(i);
            assertThat(line.taxes()).hasSameSizeAs(rates);
            assertThat(line.net().plus(line.tax())).isEqualTo(line.gross());
            assertThat(basis == Basis.EXCLUSIVE ? line.net() : line.gross()).isEqualTo(amounts.get(i));
            assertThat(line.net().isNegative()).isFalse();
            line.taxes().forEach(tax -> assertThat(tax.isNegative()).isFalse());
        }
        for (int rate = 0; rate < rates.size(); rate++) {
            int index = rate;
            assertThat(result.lines().stream().map(line -> line.taxes().get(index)).reduce(zero, Money::plus))
                    .isEqualTo(result.totalPerRate().get(rate));
        }
        assertThat(result.net().plus(result.tax())).isEqualTo(result.gross());
        assertThat(result.lines().stream().map(LineTax::gross).reduce(zero, Money::plus)).isEqualTo(result.gross());
        Money listed = amounts.stream().reduce(zero, Money::plus);
        assertThat(basis == Basis.EXCLUSIVE ? result.net() : result.gross()).isEqualTo(listed);
    }

    @Property(tries = 500)
    void perInvoiceTaxIsTheRoundedExactTax(@ForAll("currencies") Currency currency, @ForAll("amounts") List<Long> minorAmounts,
            @ForAll("rates") List<TaxRate> rates) {
        List<Money> amounts = minorAmounts.stream().map(minor -> new Money(minor, currency)).toList();
        Result result = TaxCalculation.calculate(currency, amounts, rates, Basis.EXCLUSIVE, Rounding.PER_INVOICE);
        BigDecimal net = BigDecimal.valueOf(result.net().minorUnits());
        BigDecimal running = BigDecimal.ONE;
        for (int i = 0; i < rates.size(); i++) {
            BigDecimal factor = rates.get(i).compound() ? running.multiply(rates.get(i).fraction()) : rates.get(i).fraction();
            running = running.add(factor);
            BigDecimal exact = net.multiply(factor);
            // Within half a minor unit of the exact tax on the invoice's total.
            assertThat(BigDecimal.valueOf(result.totalPerRate().get(i).minorUnits()).subtract(exact).abs())
                    .isLessThanOrEqualTo(new BigDecimal("0.5"));
        }
    }

    @Provide
    Arbitrary<Currency> currencies() {
        return Arbitraries.of("EUR", "USD", "JPY", "KWD", "CAD", "BHD", "KRW").map(Currency::getInstance);
    }

    @Provide
    Arbitrary<List<Long>> amounts() {
        return Arbitraries.longs().between(0, 10_000_000_000L).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<TaxRate>> rates() {
        Arbitrary<BigDecimal> percent = Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("30"))
                .ofScale(3);
        return Combinators.combine(percent, Arbitraries.of(true, false))
                .as((p, compound) -> new TaxRate("tax", p, compound)).list().ofMaxSize(3);
    }
}
