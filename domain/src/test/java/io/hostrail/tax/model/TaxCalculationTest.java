package io.hostrail.tax.model;

import static io.hostrail.tax.model.TaxCalculation.Basis.EXCLUSIVE;
import static io.hostrail.tax.model.TaxCalculation.Basis.INCLUSIVE;
import static io.hostrail.tax.model.TaxCalculation.Rounding.PER_INVOICE;
import static io.hostrail.tax.model.TaxCalculation.Rounding.PER_LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hostrail.shared.model.Money;
import io.hostrail.tax.model.TaxCalculation.Result;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TaxCalculationTest {

    private static final TaxRate VAT_DE = new TaxRate("VAT", new BigDecimal("19"), false);
    private static final TaxRate GST = new TaxRate("GST", new BigDecimal("5"), false);
    private static final TaxRate PST_BC = new TaxRate("PST", new BigDecimal("7"), false);
    private static final TaxRate QST_2012 = new TaxRate("QST", new BigDecimal("9.5"), true);

    @Test
    @DisplayName("exclusive prices get their tax added, rounded half-even per line")
    void exclusivePerLine() {
        Result result = calculate("EUR", List.of(VAT_DE), EXCLUSIVE, PER_LINE, "9.99", "100.00");
        assertThat(lineTaxes(result)).containsExactly("1.90", "19.00");
        assertThat(result.gross()).isEqualTo(money("130.89", "EUR"));
    }

    @Test
    @DisplayName("plain taxes are each charged on the price; a compound one on the price plus the taxes before it")
    void canadianTaxes() {
        Result british = calculate("CAD", List.of(GST, PST_BC), EXCLUSIVE, PER_LINE, "100.00");
        assertThat(british.totalPerRate()).containsExactly(money("5.00", "CAD"), money("7.00", "CAD"));
        Result quebec2012 = calculate("CAD", List.of(GST, QST_2012), EXCLUSIVE, PER_LINE, "100.00");
        // QST on 105.00 is 9.975, half-even to 9.98.
        assertThat(quebec2012.totalPerRate()).containsExactly(money("5.00", "CAD"), money("9.98", "CAD"));
        assertThat(quebec2012.gross()).isEqualTo(money("114.98", "CAD"));
    }

    @Test
    @DisplayName("many small lines: rounding per line and per invoice differ, each by its documented rule")
    void roundingModes() {
        String[] lines = {"0.02", "0.02", "0.02"};
        // 0.0038 per line rounds to nothing; 0.0114 on the invoice rounds to one cent.
        assertThat(calculate("EUR", List.of(VAT_DE), EXCLUSIVE, PER_LINE, lines).tax()).isEqualTo(money("0.00", "EUR"));
        Result perInvoice = calculate("EUR", List.of(VAT_DE), EXCLUSIVE, PER_INVOICE, lines);
        assertThat(perInvoice.tax()).isEqualTo(money("0.01", "EUR"));
        assertThat(lineTaxes(perInvoice)).containsExactly("0.01", "0.00", "0.00");
    }

    @Test
    @DisplayName("inclusive prices stay as listed; the net is what is left after the tax inside")
    void inclusive() {
        Result result = calculate("EUR", List.of(VAT_DE), INCLUSIVE, PER_LINE, "119.00", "9.99");
        assertThat(result.lines().get(0).net()).isEqualTo(money("100.00", "EUR"));
        assertThat(result.lines().get(1).net()).isEqualTo(money("8.39", "EUR"));
        assertThat(result.lines().get(1).tax()).isEqualTo(money("1.60", "EUR"));
        assertThat(result.gross()).isEqualTo(money("128.99", "EUR"));
        Result compound = calculate("CAD", List.of(GST, QST_2012), INCLUSIVE, PER_LINE, "114.98");
        assertThat(compound.net()).isEqualTo(money("100.00", "CAD"));
        assertThat(compound.totalPerRate()).containsExactly(money("5.00", "CAD"), money("9.98", "CAD"));
    }

    @Test
    @DisplayName("zero- and three-decimal currencies round to their own minor unit")
    void currencyDecimals() {
        assertThat(lineTaxes(calculate("JPY", List.of(new TaxRate("JCT", BigDecimal.TEN, false)), EXCLUSIVE, PER_LINE,
                "999"))).containsExactly("100");
        assertThat(lineTaxes(calculate("KWD", List.of(new TaxRate("VAT", new BigDecimal("5"), false)), EXCLUSIVE, PER_LINE,
                "1.234"))).containsExactly("0.062");
    }

    @Test
    @DisplayName("no taxes, no lines and zero amounts are all fine")
    void degenerateCases() {
        Result untaxed = calculate("EUR", List.of(), EXCLUSIVE, PER_INVOICE, "10.00");
        assertThat(untaxed.gross()).isEqualTo(money("10.00", "EUR"));
        assertThat(calculate("EUR", List.of(VAT_DE), INCLUSIVE, PER_INVOICE).gross()).isEqualTo(money("0.00", "EUR"));
        assertThat(calculate("EUR", List.of(VAT_DE), EXCLUSIVE, PER_INVOICE, "0.00", "0.00").tax())
                .isEqualTo(money("0.00", "EUR"));
    }

    @Test
    @DisplayName("negative lines, mixed currencies and impossible rates are refused")
    void refusals() {
        assertThatIllegalArgumentException().isThrownBy(() -> calculate("EUR", List.of(VAT_DE), EXCLUSIVE, PER_LINE, "-1.00"));
        assertThatIllegalArgumentException().isThrownBy(() -> TaxCalculation.calculate(Currency.getInstance("EUR"),
                List.of(money("1.00", "USD")), List.of(VAT_DE), EXCLUSIVE, PER_LINE));
        assertThatIllegalArgumentException().isThrownBy(() -> new TaxRate("X", new BigDecimal("100.01"), false));
        assertThatIllegalArgumentException().isThrownBy(() -> new TaxRate("X", new BigDecimal("7.12345"), false));
    }

    private static Result calculate(String currency, List<TaxRate> rates, TaxCalculation.Basis basis,
            TaxCalculation.Rounding rounding, String... amounts) {
        return TaxCalculation.calculate(Currency.getInstance(currency),
                Arrays.stream(amounts).map(amount -> money(amount, currency)).toList(), rates, basis, rounding);
    }

    private static List<String> lineTaxes(Result result) {
        return result.lines().stream().map(line -> line.tax().toMajorUnits().toPlainString()).toList();
    }

    private static Money money(String amount, String currency) {
        return Money.parse(amount, currency);
    }
}
