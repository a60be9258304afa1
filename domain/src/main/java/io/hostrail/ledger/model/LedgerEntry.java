package io.hostrail.ledger.model;

import io.hostrail.shared.model.Money;
import java.util.Objects;
import java.util.UUID;

/** One side of a movement: an amount debited or credited to an account, for a customer where it concerns one. */
public record LedgerEntry(Account account, UUID customerId, Money debit, Money credit) {

    public LedgerEntry {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(debit, "debit");
        Objects.requireNonNull(credit, "credit");
        if (!debit.currency().equals(credit.currency())) {
            throw new IllegalArgumentException("an entry is in one currency");
        }
        if (debit.isNegative() || credit.isNegative() || debit.isPositive() == credit.isPositive()) {
            throw new IllegalArgumentException("an entry is either a positive debit or a positive credit");
        }
    }

    public static LedgerEntry debit(Account account, UUID customerId, Money amount) {
        return new LedgerEntry(account, customerId, amount, Money.zero(amount.currency()));
    }

    public static LedgerEntry credit(Account account, UUID customerId, Money amount) {
        return new LedgerEntry(account, customerId, Money.zero(amount.currency()), amount);
    }
}
