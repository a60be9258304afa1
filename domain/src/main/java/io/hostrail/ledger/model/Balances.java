package io.hostrail.ledger.model;

import io.hostrail.shared.model.Money;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

/** Views derived from the ledger; nothing here is stored. */
public final class Balances {

    private Balances() {
    }

    /**
     * A customer's position in one currency: credit it holds, and what it owes on invoices. {@code credit} is below
     * zero when a provider refunded more than the customer's credit covered (ADR 0011): the customer owes that part,
     * {@link #owed()}, outside any invoice, and the next credit it gets settles it first.
     */
    public record CustomerBalance(Money credit, Money due) {

        /** What a refund made at a provider left the customer owing; zero unless the credit is below zero. */
        public Money owed() {
            return credit.isNegative() ? credit.negate() : Money.zero(credit.currency());
        }

        /** The credit the customer can spend: never below zero. */
        public Money available() {
            return credit.isNegative() ? Money.zero(credit.currency()) : credit;
        }

        /** Nothing held, nothing owed, in the currency. */
        public static CustomerBalance zero(Currency currency) {
            return new CustomerBalance(Money.zero(currency), Money.zero(currency));
        }

        /** This balance with an account's totals added: only customer credit and receivables move it. */
        public CustomerBalance plus(AccountTotals totals) {
            return switch (totals.account()) {
                case CUSTOMER_CREDIT -> new CustomerBalance(credit.plus(totals.credits()).minus(totals.debits()), due);
                case ACCOUNTS_RECEIVABLE -> new CustomerBalance(credit, due.plus(totals.debits()).minus(totals.credits()));
                default -> this;
            };
        }
    }

    /** An account's totals for one customer. */
    public record CustomerAccountTotals(UUID customerId, AccountTotals totals) {
    }

    /** Debit and credit totals of an account in a currency. */
    public record AccountTotals(Account account, Money debits, Money credits) {
    }

    /** All accounts in one currency, and whether debits equal credits across them. */
    public record TrialBalance(String currency, List<AccountTotals> accounts, Money debits, Money credits) {

        public boolean balanced() {
            return debits.equals(credits);
        }
    }
}
