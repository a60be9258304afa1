package io.hostrail.invoice.model;

import static io.hostrail.invoice.model.InvoiceFixtures.ISSUED;
import static io.hostrail.invoice.model.InvoiceFixtures.eur;
import static io.hostrail.invoice.model.InvoiceFixtures.ids;
import static io.hostrail.invoice.model.InvoiceFixtures.open;
import static io.hostrail.invoice.model.InvoiceFixtures.openEur;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CreditNoteTest {

    private static final TaxRate VAT = new TaxRate("VAT", new BigDecimal("19"), false);
    private static final Instant LATER = ISSUED.plusSeconds(86_400);

    private record Issued(CreditNote note, Invoice invoice) {
    }

    private final List<CreditNote> earlier = new ArrayList<>();

    @Test
    @DisplayName("a credit note is taxed with the invoice's own rates, and crediting a whole line gives back its total")
    void mirrorsTheInvoicesTaxes() {
        Invoice invoice = openEur(List.of(1990L, 500L), VAT);
        InvoiceLine hosting = invoice.pricing().lines().getFirst();

        Issued issued = issue(invoice, line("Hosting, December", "19.90", hosting.id()));

        CreditNote note = issued.note();
        assertThat(note.subtotal()).isEqualTo(eur("19.90"));
        assertThat(note.taxTotal()).isEqualTo(eur("3.78"));
        assertThat(note.total()).isEqualTo(hosting.total());
        assertThat(note.taxes()).singleElement().satisfies(tax -> {
            assertThat(tax.name()).isEqualTo("VAT");
            assertThat(tax.percent()).isEqualByComparingTo("19");
            assertThat(tax.country()).isEqualTo("DE");
            assertThat(tax.amount()).isEqualTo(eur("3.78"));
        });
        assertThat(note.lines()).singleElement().satisfies(line -> {
            assertThat(line.invoiceLineId()).isEqualTo(hosting.id());
            assertThat(line.net().plus(line.tax())).isEqualTo(line.total());
        });
        assertThat(note.invoiceNumber()).isEqualTo(invoice.number());
        assertThat(note.customerId()).isEqualTo(invoice.customerId());
    }

    @Test
    @DisplayName("on a tax-inclusive invoice the amount given back is the gross, and compound rates apply in order")
    void inclusiveAndCompound() {
        TaxRate gst = new TaxRate("GST", new BigDecimal("5"), false);
        TaxRate qst = new TaxRate("QST", new BigDecimal("9.975"), true);
        Invoice invoice = open(Currency.getInstance("CAD"), List.of(11_500L), List.of(gst, qst), Basis.INCLUSIVE,
                Rounding.PER_INVOICE);

        CreditNote note = issue(invoice, new CreditNoteLine.Draft("Half of it", Money.parse("57.50", "CAD"), null)).note();

        assertThat(note.total()).isEqualTo(Money.parse("57.50", "CAD"));
        assertThat(note.taxes()).extracting(InvoiceTax::name).containsExactly("GST", "QST");
        assertThat(note.taxes()).allSatisfy(tax -> assertThat(tax.amount().isPositive()).isTrue());
        assertThat(note.subtotal().plus(note.taxTotal())).isEqualTo(note.total());
    }

    @Test
    @DisplayName("an invoice without taxes (reverse charge, exemption) gives none back either")
    void untaxedInvoice() {
        Invoice invoice = openEur(List.of(10_000L));

        CreditNote note = issue(invoice, line("Correction", "25.00", null)).note();

        assertThat(note.taxes()).isEmpty();
        assertThat(note.taxTotal().isZero()).isTrue();
        assertThat(note.total()).isEqualTo(eur("25.00"));
    }

    @Test
    @DisplayName("what is due is reduced first; an open invoice left with nothing due is paid")
    void reducesWhatIsDue() {
        Invoice invoice = openEur(List.of(5_000L));

        Issued partial = issue(invoice, line("Partial", "20.00", null));
        assertThat(partial.note().appliedToInvoice()).isEqualTo(eur("20.00"));
        assertThat(partial.note().toCredit().isZero()).isTrue();
        assertThat(partial.invoice().amountDue()).isEqualTo(eur("30.00"));
        assertThat(partial.invoice().credited()).isEqualTo(eur("20.00"));
        assertThat(partial.invoice().status()).isEqualTo(InvoiceStatus.OPEN);

        Issued rest = issue(partial.invoice(), line("The rest", "30.00", null));
        assertThat(rest.invoice().status()).isEqualTo(InvoiceStatus.PAID);
        assertThat(rest.invoice().paidAt()).isEqualTo(LATER);
        assertThat(rest.invoice().amountDue().isZero()).isTrue();
    }

    @Test
    @DisplayName("what was already paid goes back to the customer's credit")
    void paidPartGoesToCredit() {
        Invoice invoice = openEur(List.of(2_500L)).creditApplied(eur("10.00"), ISSUED);

        Issued issued = issue(invoice, line("Goodwill", "20.00", null));

        assertThat(issued.note().appliedToInvoice()).isEqualTo(eur("15.00"));
        assertThat(issued.note().toCredit()).isEqualTo(eur("5.00"));
        assertThat(issued.invoice().status()).isEqualTo(InvoiceStatus.PAID);
        LedgerTransaction movement = issued.note().movement(UUID.randomUUID(), invoice.status());
        assertThat(movement.kind()).isEqualTo("credit_note_issued");
        assertThat(movement.documentId()).isEqualTo(issued.note().id());
        assertThat(movement.entries()).containsExactlyInAnyOrder(
                LedgerEntry.debit(Account.REVENUE, invoice.customerId(), eur("20.00")),
                LedgerEntry.credit(Account.ACCOUNTS_RECEIVABLE, invoice.customerId(), eur("15.00")),
                LedgerEntry.credit(Account.CUSTOMER_CREDIT, invoice.customerId(), eur("5.00")));

        Invoice paid = issued.invoice();
        Issued refund = issue(paid, line("Refund", "5.00", null));
        assertThat(refund.note().toCredit()).isEqualTo(eur("5.00"));
        assertThat(refund.invoice()).isEqualTo(paid);
    }

    @Test
    @DisplayName("on a written-off invoice, the part off what is due reverses bad debt, and it stays uncollectible")
    void writtenOff() {
        Invoice invoice = openEur(List.of(1_000L), VAT).markedUncollectible(ISSUED);

        Issued issued = issue(invoice, line("Correction", "5.00", null));

        assertThat(issued.invoice().status()).isEqualTo(InvoiceStatus.UNCOLLECTIBLE);
        assertThat(issued.invoice().amountDue()).isEqualTo(eur("5.95"));
        assertThat(issued.note().movement(UUID.randomUUID(), invoice.status()).entries()).containsExactlyInAnyOrder(
                LedgerEntry.debit(Account.REVENUE, invoice.customerId(), eur("5.00")),
                LedgerEntry.debit(Account.TAX_PAYABLE, invoice.customerId(), eur("0.95")),
                LedgerEntry.credit(Account.BAD_DEBT, invoice.customerId(), eur("5.95")));
        Invoice cleared = issue(issued.invoice(), line("The rest", "5.00", null)).invoice();
        assertThat(cleared.status()).isEqualTo(InvoiceStatus.UNCOLLECTIBLE);
        assertThat(cleared.amountDue().isZero()).isTrue();
    }

    @Test
    @DisplayName("all credit notes of an invoice never give back more than its total")
    void invoiceLimit() {
        Invoice invoice = openEur(List.of(1_000L), VAT);
        Issued first = issue(invoice, line("Most of it", "9.00", null));

        // 1.01 and its 0.19 of tax is 1.20, a cent more than is left.
        CreditDecision refused = decide(first.invoice(), line("Too much", "1.01", null));

        assertThat(refused).isEqualTo(new CreditDecision.ExceedsInvoice(eur("1.19")));
        assertThat(decide(first.invoice(), line("Already too much before tax", "1.20", null)))
                .isEqualTo(new CreditDecision.ExceedsInvoice(eur("1.19")));
        assertThat(decide(first.invoice(), line("Exactly the rest", "1.00", null)))
                .isInstanceOfSatisfying(CreditDecision.Allowed.class,
                        allowed -> assertThat(allowed.pricing().total()).isEqualTo(eur("1.19")));
        assertThat(decide(invoice, line("Astronomical", "999999999999999.99", null)))
                .isInstanceOf(CreditDecision.ExceedsInvoice.class);
    }

    @Test
    @DisplayName("a line naming an invoice line gives back at most what is left of it")
    void lineLimit() {
        Invoice invoice = openEur(List.of(1_000L, 9_000L), VAT);
        UUID small = invoice.pricing().lines().getFirst().id();
        issue(invoice, line("Part of the small line", "6.00", small));

        CreditDecision refused = decide(invoice, line("Unrelated", "1.00", null), line("Rest and more", "5.00", small));

        assertThat(refused).isInstanceOfSatisfying(CreditDecision.ExceedsLines.class, lines ->
                assertThat(lines.lines()).containsExactly(new CreditDecision.LineExcess(1, small, eur("5.95"),
                        eur("4.76"))));
        assertThat(decide(invoice, line("Rest", "4.00", small))).isInstanceOf(CreditDecision.Allowed.class);
        assertThat(decide(invoice, line("Rest in two", "2.00", small), line("halves", "2.01", small)))
                .isInstanceOf(CreditDecision.ExceedsLines.class);
    }

    @Test
    @DisplayName("drafts and void invoices cannot be credited; an invoice with credit notes cannot be voided")
    void notCreditable() {
        Invoice open = openEur(List.of(1_000L));
        Invoice draft = Invoice.draft(UUID.randomUUID(), open.tenant(), open.customerId(), open.currency(), open.pricing(),
                null, null, ISSUED);
        assertThat(decide(draft, line("x", "1.00", null))).isEqualTo(new CreditDecision.NotCreditable(InvoiceStatus.DRAFT));
        assertThat(decide(open.voided(ISSUED), line("x", "1.00", null)))
                .isEqualTo(new CreditDecision.NotCreditable(InvoiceStatus.VOID));

        Invoice credited = issue(open, line("x", "1.00", null)).invoice();
        assertThatThrownBy(() -> credited.voided(LATER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("credit notes");
        assertThatThrownBy(() -> credited.credited(eur("9.01"), LATER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("bad lines and reasons are refused by the values themselves")
    void badValues() {
        assertThatThrownBy(() -> new CreditNoteLine.Draft(" ", eur("1.00"), null)).hasMessageStartingWith("description:");
        assertThatThrownBy(() -> new CreditNoteLine.Draft("x", eur("0.00"), null)).hasMessageStartingWith("amount:");
        assertThatThrownBy(() -> new CreditNoteLine.Draft("x", eur("-1.00"), null)).hasMessageStartingWith("amount:");
        assertThatThrownBy(() -> CreditNote.reason(null)).hasMessage("reason: is required");
        assertThatThrownBy(() -> CreditNote.reason("x".repeat(501))).hasMessageStartingWith("reason: at most 500");
        assertThat(CreditNote.reason("  Outage  ")).isEqualTo("Outage");
        Invoice invoice = openEur(List.of(1_000L));
        assertThatThrownBy(() -> CreditNotePricing.price(invoice, List.of(line("x", "1.00", UUID.randomUUID())), ids()))
                .hasMessageStartingWith("lines[0].invoiceLineId:");
        assertThatThrownBy(() -> CreditNotePricing.price(invoice,
                List.of(new CreditNoteLine.Draft("x", Money.parse("1.00", "USD"), null)), ids()))
                .hasMessageStartingWith("lines[0].amount:");
    }

    private CreditDecision decide(Invoice invoice, CreditNoteLine.Draft... lines) {
        return CreditDecision.decide(invoice, earlier.stream().filter(note -> note.invoiceId().equals(invoice.id()))
                .toList(), List.of(lines), ids());
    }

    private Issued issue(Invoice invoice, CreditNoteLine.Draft... lines) {
        CreditDecision decision = decide(invoice, lines);
        assertThat(decision).isInstanceOf(CreditDecision.Allowed.class);
        CreditDecision.Allowed allowed = (CreditDecision.Allowed) decision;
        CreditNote note = CreditNote.issue(ids().get(), "CN-2026-%06d".formatted(earlier.size() + 1), invoice, "Because",
                allowed, LATER);
        earlier.add(note);
        return new Issued(note, invoice.credited(note.appliedToInvoice(), LATER));
    }

    private static CreditNoteLine.Draft line(String description, String amount, UUID invoiceLineId) {
        return new CreditNoteLine.Draft(description, eur(amount), invoiceLineId);
    }
}
