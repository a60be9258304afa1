package io.hostrail.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LedgerTransactionTest {

    private static final TenantId TENANT = new TenantId(UUID.randomUUID());
    private static final UUID CUSTOMER = UUID.randomUUID();

    @Test
    @DisplayName("a transaction balances in every currency, or it cannot be built")
    void balances() {
        Money ten = Money.parse("10.00", "EUR");
        assertThat(transaction(LedgerEntry.debit(Account.CREDIT_ADJUSTMENTS, CUSTOMER, ten),
                LedgerEntry.credit(Account.CUSTOMER_CREDIT, CUSTOMER, ten)).entries()).hasSize(2);
        assertThatIllegalArgumentException().isThrownBy(() -> transaction(
                        LedgerEntry.debit(Account.CREDIT_ADJUSTMENTS, CUSTOMER, ten),
                        LedgerEntry.credit(Account.CUSTOMER_CREDIT, CUSTOMER, Money.parse("9.99", "EUR"))))
                .withMessageContaining("differ by 1");
        assertThatIllegalArgumentException().isThrownBy(() -> transaction(
                LedgerEntry.debit(Account.CREDIT_ADJUSTMENTS, CUSTOMER, ten),
                LedgerEntry.credit(Account.CUSTOMER_CREDIT, CUSTOMER, Money.parse("10.00", "USD"))));
        assertThatIllegalArgumentException().isThrownBy(() -> transaction(
                LedgerEntry.debit(Account.CREDIT_ADJUSTMENTS, CUSTOMER, ten)));
    }

    @Test
    @DisplayName("an entry is a positive debit or a positive credit, never both or neither")
    void entries() {
        assertThatIllegalArgumentException().isThrownBy(() -> LedgerEntry.debit(Account.CASH, null, Money.zero("EUR")));
        assertThatIllegalArgumentException().isThrownBy(() -> LedgerEntry.credit(Account.CASH, null, Money.parse("-1", "EUR")));
        assertThatIllegalArgumentException().isThrownBy(() -> new LedgerEntry(Account.CASH, null, Money.parse("1", "EUR"),
                Money.parse("1", "EUR")));
    }

    private static LedgerTransaction transaction(LedgerEntry... entries) {
        return new LedgerTransaction(UUID.randomUUID(), TENANT, "test", CUSTOMER, null, "test", Instant.EPOCH, List.of(entries));
    }
}
