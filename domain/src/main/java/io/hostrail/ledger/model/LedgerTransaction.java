package io.hostrail.ledger.model;

import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A movement of money: entries whose debits equal their credits in every currency. It cannot be built otherwise.
 * {@code documentId} names the invoice or credit note that caused it, when one did.
 */
public record LedgerTransaction(UUID id, TenantId tenant, String kind, UUID customerId, UUID documentId,
        String description, Instant occurredAt, List<LedgerEntry> entries) {

    public LedgerTransaction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(occurredAt, "occurredAt");
        entries = List.copyOf(entries);
        if (entries.size() < 2) {
            throw new IllegalArgumentException("a transaction has at least two entries");
        }
        Map<Currency, Long> net = new HashMap<>();
        for (LedgerEntry entry : entries) {
            Money debit = entry.debit();
            net.merge(debit.currency(), Math.subtractExact(debit.minorUnits(), entry.credit().minorUnits()), Math::addExact);
        }
        net.forEach((currency, difference) -> {
            if (difference != 0) {
                throw new IllegalArgumentException("debits and credits differ by " + difference + " minor units of "
                        + currency.getCurrencyCode());
            }
        });
    }
}
