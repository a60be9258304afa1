package io.hostrail.ledger.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.ledger.model.Balances.AccountTotals;
import io.hostrail.ledger.model.Balances.CustomerBalance;
import io.hostrail.shared.model.Money;
import java.util.Currency;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CustomerBalanceTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Test
    @DisplayName("credit is what the credit account owes the customer, due what receivables say it owes")
    void derivedFromAccountTotals() {
        CustomerBalance balance = CustomerBalance.zero(EUR)
                .plus(totals(Account.CUSTOMER_CREDIT, "5.00", "30.00"))
                .plus(totals(Account.ACCOUNTS_RECEIVABLE, "47.36", "20.00"))
                .plus(totals(Account.REVENUE, "0.00", "39.80"));
        assertThat(balance.credit()).isEqualTo(Money.parse("25.00", "EUR"));
        assertThat(balance.due()).isEqualTo(Money.parse("27.36", "EUR"));
    }

    private static AccountTotals totals(Account account, String debits, String credits) {
        return new AccountTotals(account, Money.parse(debits, "EUR"), Money.parse(credits, "EUR"));
    }
}
