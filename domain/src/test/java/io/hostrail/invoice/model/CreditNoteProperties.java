package io.hostrail.invoice.model;

import static io.hostrail.invoice.model.InvoiceFixtures.ISSUED;
import static io.hostrail.invoice.model.InvoiceFixtures.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.shared.model.Money;
import io.hostrail.tax.model.TaxCalculation.Basis;
import io.hostrail.tax.model.TaxCalculation.Rounding;
import io.hostrail.tax.model.TaxRate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * What must hold for any invoice (amounts, rates, basis, rounding, currency, how much of it was settled, whether it
 * was written off) and any sequence of credit notes on it: together they never give back more than its total, nor a
 * line more than its total; each one settles exactly its total, part off what is due and the rest to credit; and its
 * ledger movement balances.
 */
class CreditNoteProperties {

    /** One line of a credit note as a generator sees it: a share of an invoice line, naming it or not. */
    record LineAsk(int invoiceLine, int perMille, boolean namesLine) {
    }

    @Property(tries = 1000)
    void creditNotesNeverExceedTheInvoiceAndAlwaysBalance(@ForAll("currencies") Currency currency,
            @ForAll("lineAmounts") List<Long> lineMinor, @ForAll("rates") List<TaxRate> rates, @ForAll Basis basis,
            @ForAll Rounding rounding, @ForAll @IntRange(min = 0, max = 1000) int settledPerMille,
            @ForAll boolean writtenOff, @ForAll("creditNotes") List<List<LineAsk>> asks) {
        Invoice invoice = InvoiceFixtures.open(currency, lineMinor, rates, basis, rounding);
        Money total = invoice.pricing().total();
        Money settled = total.times(BigDecimal.valueOf(settledPerMille, 3), Money.DEFAULT_ROUNDING);
        if (settled.isPositive()) {
            invoice = invoice.creditApplied(settled, ISSUED);
        }
        if (writtenOff && invoice.status() == InvoiceStatus.OPEN) {
            invoice = invoice.markedUncollectible(ISSUED);
        }
        Money zero = Money.zero(currency);
        List<CreditNote> issued = new ArrayList<>();
        Instant at = ISSUED;
        for (List<LineAsk> ask : asks) {
            List<CreditNoteLine.Draft> drafts = drafts(invoice, ask);
            CreditDecision decision = CreditDecision.decide(invoice, issued, drafts, ids());
            Money given = issued.stream().map(CreditNote::total).reduce(zero, Money::plus);
            Statistics.label("decision").collect(decision.getClass().getSimpleName());
            Statistics.label("invoice").collect(invoice.status());
            switch (decision) {
                case CreditDecision.Allowed allowed -> {
                    at = at.plusSeconds(60);
                    Money dueBefore = invoice.amountDue();
                    CreditNote note = CreditNote.issue(ids().get(), "CN-" + (issued.size() + 1), invoice, "Correction",
                            allowed, at);
                    assertThat(note.appliedToInvoice().plus(note.toCredit())).isEqualTo(note.total());
                    assertThat(note.subtotal().plus(note.taxTotal())).isEqualTo(note.total());
                    assertThat(note.appliedToInvoice()).isLessThanOrEqualTo(dueBefore);
                    if (note.toCredit().isPositive()) {
                        assertThat(note.appliedToInvoice()).isEqualTo(dueBefore);
                    }
                    assertBalanced(note.movement(UUID.randomUUID(), invoice.status()), note);
                    InvoiceStatus before = invoice.status();
                    invoice = invoice.credited(note.appliedToInvoice(), at);
                    assertThat(invoice.amountDue()).isEqualTo(dueBefore.minus(note.appliedToInvoice()));
                    assertThat(invoice.status()).isEqualTo(before == InvoiceStatus.OPEN && invoice.amountDue().isZero()
                            ? InvoiceStatus.PAID : before);
                    issued.add(note);
                }
                case CreditDecision.ExceedsInvoice refused -> assertThat(refused.remaining()).isEqualTo(total.minus(given));
                case CreditDecision.ExceedsLines refused -> assertThat(refused.lines()).isNotEmpty();
                case CreditDecision.NotCreditable refused -> throw new AssertionError("a finalized invoice is creditable");
            }
            Money givenNow = issued.stream().map(CreditNote::total).reduce(zero, Money::plus);
            assertThat(givenNow).isLessThanOrEqualTo(total);
            assertThat(invoice.credited()).isLessThanOrEqualTo(givenNow);
            assertLinesWithinTheirTotals(invoice, issued);
        }
        // The walk must reach every outcome and every creditable status, or it proves less than it claims.
        Statistics.label("decision").coverage(checker -> {
            checker.check("Allowed").percentage(p -> p > 20);
            checker.check("ExceedsInvoice").percentage(p -> p > 5);
            checker.check("ExceedsLines").percentage(p -> p > 1);
        });
        Statistics.label("invoice").coverage(checker -> {
            checker.check(InvoiceStatus.OPEN).percentage(p -> p > 5);
            checker.check(InvoiceStatus.PAID).percentage(p -> p > 5);
            checker.check(InvoiceStatus.UNCOLLECTIBLE).percentage(p -> p > 5);
        });
    }

    @Property(tries = 500)
    void creditingEveryLineInFullGivesBackExactlyTheTotal(@ForAll("currencies") Currency currency,
            @ForAll("lineAmounts") List<Long> lineMinor, @ForAll("rates") List<TaxRate> rates, @ForAll Basis basis,
            @ForAll Rounding rounding) {
        Invoice invoice = InvoiceFixtures.open(currency, lineMinor, rates, basis, rounding);
        List<CreditNoteLine.Draft> everything = invoice.pricing().lines().stream()
                .map(line -> new CreditNoteLine.Draft(line.description(), line.draft().amount(), line.id())).toList();

        CreditDecision decision = CreditDecision.decide(invoice, List.of(), everything, ids());

        assertThat(decision).isInstanceOfSatisfying(CreditDecision.Allowed.class, allowed -> {
            assertThat(allowed.pricing().total()).isEqualTo(invoice.pricing().total());
            assertThat(allowed.pricing().taxTotal()).isEqualTo(invoice.pricing().taxTotal());
            assertThat(allowed.appliedToInvoice()).isEqualTo(invoice.amountDue());
            assertThat(invoice.credited(allowed.appliedToInvoice(), ISSUED).status()).isEqualTo(InvoiceStatus.PAID);
        });
    }

    private static void assertBalanced(LedgerTransaction movement, CreditNote note) {
        Money zero = Money.zero(note.currency());
        Money debits = movement.entries().stream().map(LedgerEntry::debit).reduce(zero, Money::plus);
        Money credits = movement.entries().stream().map(LedgerEntry::credit).reduce(zero, Money::plus);
        assertThat(debits).isEqualTo(credits).isEqualTo(note.total());
        Money settledByIt = movement.entries().stream()
                .filter(entry -> entry.account() == Account.ACCOUNTS_RECEIVABLE || entry.account() == Account.BAD_DEBT)
                .map(LedgerEntry::credit).reduce(zero, Money::plus);
        Money toCredit = movement.entries().stream().filter(entry -> entry.account() == Account.CUSTOMER_CREDIT)
                .map(LedgerEntry::credit).reduce(zero, Money::plus);
        assertThat(settledByIt).isEqualTo(note.appliedToInvoice());
        assertThat(toCredit).isEqualTo(note.toCredit());
        assertThat(settledByIt.plus(toCredit)).isEqualTo(note.total());
    }

    private static void assertLinesWithinTheirTotals(Invoice invoice, List<CreditNote> issued) {
        Map<UUID, Money> taken = new HashMap<>();
        issued.stream().flatMap(note -> note.lines().stream()).filter(line -> line.invoiceLineId() != null)
                .forEach(line -> taken.merge(line.invoiceLineId(), line.total(), Money::plus));
        for (InvoiceLine line : invoice.pricing().lines()) {
            assertThat(taken.getOrDefault(line.id(), Money.zero(invoice.currency()))).isLessThanOrEqualTo(line.total());
        }
    }

    /**
     * Each asked line as a share of the invoice line it is about (at least one minor unit of its amount), naming that
     * line or not.
     */
    private static List<CreditNoteLine.Draft> drafts(Invoice invoice, List<LineAsk> asks) {
        List<InvoiceLine> lines = invoice.pricing().lines();
        return asks.stream().map(ask -> {
            InvoiceLine about = lines.get(ask.invoiceLine() % lines.size());
            long minor = Math.max(1, about.draft().amount().minorUnits() * ask.perMille() / 1000);
            return new CreditNoteLine.Draft("Part of " + about.description(), new Money(minor, invoice.currency()),
                    ask.namesLine() ? about.id() : null);
        }).toList();
    }

    @Provide
    Arbitrary<Currency> currencies() {
        return Arbitraries.of("JPY", "EUR", "BHD").map(Currency::getInstance);
    }

    @Provide
    Arbitrary<List<Long>> lineAmounts() {
        return Arbitraries.longs().between(1, 10_000_000L).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<TaxRate>> rates() {
        Arbitrary<BigDecimal> percent = Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("30"))
                .ofScale(3);
        return Combinators.combine(percent, Arbitraries.of(true, false))
                .as((p, compound) -> new TaxRate("tax", p, compound)).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<List<LineAsk>>> creditNotes() {
        Arbitrary<LineAsk> line = Combinators.combine(Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(1, 700), Arbitraries.of(true, false))
                .as(LineAsk::new);
        return line.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(12);
    }
}
