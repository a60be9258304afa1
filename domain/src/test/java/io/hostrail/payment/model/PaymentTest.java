package io.hostrail.payment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PaymentTest {

    private static final TenantId TENANT = new TenantId(UUID.fromString("0190f3a2-0000-7000-8000-000000000001"));
    private static final UUID CUSTOMER = UUID.fromString("0190f3a2-0000-7000-8000-000000000002");
    private static final UUID INVOICE = UUID.fromString("0190f3a2-0000-7000-8000-000000000003");
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private static Payment received(String amount, String applied) {
        return Payment.received(UUID.fromString("0190f3a2-0000-7000-8000-000000000010"), TENANT, CUSTOMER, INVOICE,
                Payment.Provider.MANUAL, Payment.Method.BANK_TRANSFER, " SEPA-1 ", Money.parse(amount, "EUR"),
                Money.parse(applied, "EUR"), null, AT, AT);
    }

    @Test
    void theMoneyInIsCashAgainstTheReceivableAndCreditForTheRest() {
        Payment payment = received("12.00", "10.00");
        assertThat(payment.reference()).isEqualTo("SEPA-1");
        assertThat(payment.toCredit()).isEqualTo(Money.parse("2.00", "EUR"));
        LedgerTransaction movement = payment.receivedMovement(UUID.randomUUID(), false);
        assertThat(movement.entries()).containsExactly(
                LedgerEntry.debit(Account.CASH, CUSTOMER, Money.parse("12.00", "EUR")),
                LedgerEntry.credit(Account.ACCOUNTS_RECEIVABLE, CUSTOMER, Money.parse("10.00", "EUR")),
                LedgerEntry.credit(Account.CUSTOMER_CREDIT, CUSTOMER, Money.parse("2.00", "EUR")));
        assertThat(movement.documentId()).isEqualTo(payment.id());
        // A written-off invoice paid after all recovers bad debt rather than the receivable.
        assertThat(received("10.00", "10.00").receivedMovement(UUID.randomUUID(), true).entries())
                .contains(LedgerEntry.credit(Account.BAD_DEBT, CUSTOMER, Money.parse("10.00", "EUR")));
    }

    @Test
    void refundsAddUpToTheAmountAtMost() {
        Payment payment = received("10.00", "10.00");
        Payment part = payment.refund(Money.parse("4.00", "EUR"));
        assertThat(part.status()).isEqualTo(Payment.Status.PARTIALLY_REFUNDED);
        assertThat(part.refundable()).isEqualTo(Money.parse("6.00", "EUR"));
        assertThat(part.refund(Money.parse("6.00", "EUR")).status()).isEqualTo(Payment.Status.REFUNDED);
        assertThatIllegalArgumentException().isThrownBy(() -> part.refund(Money.parse("6.01", "EUR")))
                .withMessageStartingWith("amount: at most 6.00");
        assertThatIllegalArgumentException().isThrownBy(() -> part.refund(Money.zero("EUR")))
                .withMessage("amount: must be above zero");
        assertThat(part.refundMovement(UUID.randomUUID(), Money.parse("4.00", "EUR"), AT).entries()).containsExactly(
                LedgerEntry.debit(Account.CUSTOMER_CREDIT, CUSTOMER, Money.parse("4.00", "EUR")),
                LedgerEntry.credit(Account.CASH, CUSTOMER, Money.parse("4.00", "EUR")));
    }

    @Test
    void paymentsKeepTheirShape() {
        assertThatIllegalArgumentException().isThrownBy(() -> received("10.00", "10.01"))
                .withMessage("applied: from zero to the amount");
        assertThatIllegalArgumentException().isThrownBy(() -> received("0", "0"))
                .withMessage("amount: must be above zero");
        assertThatIllegalArgumentException().isThrownBy(() -> Payment.received(UUID.randomUUID(), TENANT, CUSTOMER,
                        INVOICE, Payment.Provider.STRIPE, Payment.Method.CARD, null, Money.parse("1.00", "EUR"),
                        Money.zero("EUR"), null, AT, AT))
                .withMessage("reference: a provider's payment has its id");
        assertThatIllegalArgumentException().isThrownBy(() -> Payment.received(UUID.randomUUID(), TENANT, CUSTOMER,
                        INVOICE, Payment.Provider.MANUAL, Payment.Method.CARD, null, Money.parse("1.00", "EUR"),
                        Money.zero("EUR"), null, AT, AT))
                .withMessage("method: card is not recorded by hand");
        assertThatIllegalArgumentException().isThrownBy(() -> Payment.Method.fromWire("bitcoin"))
                .withMessageContaining("not a payment method");
    }
}
