package io.hostrail.invoice.model;

import static io.hostrail.invoice.model.InvoiceFixtures.CUSTOMER;
import static io.hostrail.invoice.model.InvoiceFixtures.ISSUED;
import static io.hostrail.invoice.model.InvoiceFixtures.TENANT;
import static io.hostrail.invoice.model.InvoiceFixtures.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.shared.model.Money;
import io.hostrail.tax.model.TaxCalculation.Basis;
import io.hostrail.tax.model.TaxCalculation.Rounding;
import io.hostrail.tax.model.TaxRate;
import io.hostrail.tax.model.TaxRule;
import io.hostrail.tax.model.Taxation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * What must hold for any invoice (quantities, unit prices, discounts, rates, basis, rounding, currencies with 0, 2
 * and 3 decimals) and any sequence of what can happen to it (credit spent on it, credit notes, voiding, writing off):
 * its total is its lines plus tax less discounts to the minor unit; every movement balances; and the ledger's accounts,
 * summed over its movements, always say what the invoice says: the receivable is what is due, revenue and tax are
 * what was invoiced less what was credited back, bad debt is what was written off and not recovered.
 */
class InvoiceLedgerProperties {

    record LineSpec(long quantity, long unitMinor, int discountPerMille) {
    }

    enum Kind { SPEND_CREDIT, CREDIT_NOTE, VOID, WRITE_OFF }

    record Step(Kind kind, int perMille) {
    }

    @Property(tries = 1000)
    void theLedgerAlwaysAgreesWithTheInvoice(@ForAll("currencies") Currency currency, @ForAll("lines") List<LineSpec> specs,
            @ForAll("rates") List<TaxRate> rates, @ForAll Basis basis, @ForAll Rounding rounding,
            @ForAll("steps") List<Step> steps) {
        Invoice invoice = issue(currency, specs, rates, basis, rounding);
        InvoicePricing pricing = invoice.pricing();
        Money zero = Money.zero(currency);

        // The invoice's own arithmetic.
        assertThat(pricing.lines().stream().map(InvoiceLine::total).reduce(zero, Money::plus)).isEqualTo(pricing.total());
        assertThat(pricing.subtotal().plus(pricing.taxTotal())).isEqualTo(pricing.total());
        assertThat(pricing.lines().stream().map(InvoiceLine::discount).reduce(zero, Money::plus))
                .isEqualTo(pricing.discountTotal());
        Money listed = pricing.lines().stream().map(line -> line.unitPrice().times(line.quantity()).minus(line.discount()))
                .reduce(zero, Money::plus);
        assertThat(basis == Basis.EXCLUSIVE ? pricing.subtotal() : pricing.total()).isEqualTo(listed);
        assertThat(pricing.taxes().stream().map(InvoiceTax::amount).reduce(zero, Money::plus)).isEqualTo(pricing.taxTotal());

        Map<Account, Long> net = new EnumMap<>(Account.class);
        InvoiceMovements.issued(invoice, UUID.randomUUID(), ISSUED).ifPresent(movement -> post(net, movement));
        List<CreditNote> notes = new ArrayList<>();
        Instant at = ISSUED;
        for (Step step : steps) {
            at = at.plusSeconds(60);
            Invoice before = invoice;
            Money share = before.amountDue().times(BigDecimal.valueOf(step.perMille(), 3), Money.DEFAULT_ROUNDING);
            try {
                switch (step.kind()) {
                    case SPEND_CREDIT -> {
                        if (share.isPositive()) {
                            invoice = before.creditApplied(share, at);
                            post(net, InvoiceMovements.creditApplied(before, share, UUID.randomUUID(), at));
                        }
                    }
                    case VOID -> {
                        if (notes.isEmpty()) {
                            invoice = before.voided(at);
                            InvoiceMovements.voided(before, UUID.randomUUID(), at).ifPresent(m -> post(net, m));
                        }
                    }
                    case WRITE_OFF -> {
                        invoice = before.markedUncollectible(at);
                        InvoiceMovements.writtenOff(before, UUID.randomUUID(), at).ifPresent(m -> post(net, m));
                    }
                    case CREDIT_NOTE -> {
                        InvoiceLine line = pricing.lines().get(step.perMille() % pricing.lines().size());
                        Money amount = line.draft().amount().times(BigDecimal.valueOf(step.perMille(), 3),
                                Money.DEFAULT_ROUNDING);
                        if (amount.isPositive() && before.isCreditable()) {
                            CreditDecision decision = CreditDecision.decide(before, notes,
                                    List.of(new CreditNoteLine.Draft("Correction", amount, line.id())), ids());
                            if (decision instanceof CreditDecision.Allowed allowed) {
                                CreditNote note = CreditNote.issue(UUID.randomUUID(), "CN-" + (notes.size() + 1), before,
                                        "Correction", allowed, at);
                                post(net, note.movement(UUID.randomUUID(), before.status()));
                                notes.add(note);
                                invoice = before.credited(note.appliedToInvoice(), at);
                            }
                        }
                    }
                }
            } catch (IllegalStateException refusedByTheStatus) {
                invoice = before;
            }
            Statistics.label("status").collect(invoice.status());
            agree(invoice, notes, net, zero);
        }
        Statistics.label("status").coverage(checker -> {
            checker.check(InvoiceStatus.OPEN).percentage(p -> p > 5);
            checker.check(InvoiceStatus.PAID).percentage(p -> p > 5);
            checker.check(InvoiceStatus.VOID).percentage(p -> p > 1);
            checker.check(InvoiceStatus.UNCOLLECTIBLE).percentage(p -> p > 5);
        });
    }

    private static void agree(Invoice invoice, List<CreditNote> notes, Map<Account, Long> net, Money zero) {
        InvoicePricing pricing = invoice.pricing();
        long due = invoice.amountDue().minorUnits();
        boolean voided = invoice.status() == InvoiceStatus.VOID;
        boolean writtenOff = invoice.status() == InvoiceStatus.UNCOLLECTIBLE;
        assertThat(due).isNotNegative();
        assertThat(debitBalance(net, Account.ACCOUNTS_RECEIVABLE)).isEqualTo(voided || writtenOff ? 0 : due);
        if (writtenOff) {
            assertThat(debitBalance(net, Account.BAD_DEBT)).isEqualTo(due);
        }
        Money creditedSubtotal = notes.stream().map(CreditNote::subtotal).reduce(zero, Money::plus);
        Money creditedTax = notes.stream().map(CreditNote::taxTotal).reduce(zero, Money::plus);
        assertThat(-debitBalance(net, Account.REVENUE))
                .isEqualTo(voided ? 0 : pricing.subtotal().minus(creditedSubtotal).minorUnits());
        assertThat(-debitBalance(net, Account.TAX_PAYABLE))
                .isEqualTo(voided ? 0 : pricing.taxTotal().minus(creditedTax).minorUnits());
        long toCredit = notes.stream().mapToLong(note -> note.toCredit().minorUnits()).sum();
        assertThat(-debitBalance(net, Account.CUSTOMER_CREDIT))
                .isEqualTo(voided ? toCredit : toCredit - invoice.creditApplied().minorUnits());
        assertThat(invoice.creditApplied().plus(invoice.amountPaid()).plus(invoice.credited()).plus(invoice.amountDue()))
                .isEqualTo(pricing.total());
        if (invoice.status() == InvoiceStatus.PAID) {
            assertThat(due).isZero();
        }
        long sum = net.values().stream().mapToLong(Long::longValue).sum();
        assertThat(sum).as("debits less credits over every account").isZero();
    }

    private static void post(Map<Account, Long> net, LedgerTransaction movement) {
        for (LedgerEntry entry : movement.entries()) {
            assertThat(entry.customerId()).isEqualTo(CUSTOMER);
            net.merge(entry.account(), entry.debit().minorUnits() - entry.credit().minorUnits(), Long::sum);
        }
    }

    private static long debitBalance(Map<Account, Long> net, Account account) {
        return net.getOrDefault(account, 0L);
    }

    private static Invoice issue(Currency currency, List<LineSpec> specs, List<TaxRate> rates, Basis basis,
            Rounding rounding) {
        List<InvoiceLine.Draft> drafts = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            LineSpec spec = specs.get(i);
            Money unit = new Money(spec.unitMinor(), currency);
            Money discount = unit.times(spec.quantity()).times(BigDecimal.valueOf(spec.discountPerMille(), 3),
                    java.math.RoundingMode.DOWN);
            drafts.add(new InvoiceLine.Draft("Line " + i, spec.quantity(), unit, discount, null, null, null, null));
        }
        List<TaxRule> rules = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            rules.add(new TaxRule(ids().get(), TENANT, "DE", null, rates.get(i), i, 0));
        }
        InvoicePricing pricing = InvoicePricing.price(currency, drafts, new Taxation(rules, basis, rounding, null), ids());
        return Invoice.draft(ids().get(), TENANT, CUSTOMER, currency, pricing, null, null, ISSUED.minusSeconds(3600))
                .finalized("INV-2026-000001", pricing, ISSUED);
    }

    @Provide
    Arbitrary<Currency> currencies() {
        return Arbitraries.of("EUR", "JPY", "BHD", "USD", "KWD").map(Currency::getInstance);
    }

    @Provide
    Arbitrary<List<LineSpec>> lines() {
        Arbitrary<LineSpec> line = Combinators.combine(Arbitraries.longs().between(1, 50),
                Arbitraries.longs().between(0, 5_000_000).edgeCases(edges -> edges.add(0L, 1L, 3L)),
                Arbitraries.integers().between(0, 1000).edgeCases(edges -> edges.add(0, 1000)))
                .as(LineSpec::new);
        return line.list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<TaxRate>> rates() {
        Arbitrary<TaxRate> rate = Combinators.combine(
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("27")).ofScale(3),
                Arbitraries.of(false, false, true))
                .as((percent, compound) -> new TaxRate("Tax", percent, compound));
        return rate.list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 1000).edgeCases(edges -> edges.add(1000))).as(Step::new);
        return step.list().ofMaxSize(8);
    }
}
