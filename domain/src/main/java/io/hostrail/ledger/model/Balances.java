package io.hostrail.ledger.model;

import io.hostrail.shared.model.Money;
import java.util.List;

/** Views derived from the ledger; nothing here is stored. */
public final class Balances {

    private Balances() {
    }

    /** A customer's position in one currency: credit it holds, and what it owes. */
    public record CustomerBalance(Money credit, Money due) {
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
