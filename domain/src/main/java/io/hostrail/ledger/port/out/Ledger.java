package io.hostrail.ledger.port.out;

import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.Balances.AccountTotals;
import io.hostrail.ledger.model.Balances.CustomerAccountTotals;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.shared.model.TenantId;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Append-only: transactions are recorded and summed, never changed. */
public interface Ledger {

    Mono<LedgerTransaction> record(LedgerTransaction transaction);

    /** Records the transactions, all of one tenant, together: what a batch of invoices moves. */
    Mono<Void> recordAll(List<LedgerTransaction> transactions);

    /** Totals per account of the customer's entries, in every currency it has entries in. */
    Flux<AccountTotals> customerTotals(TenantId tenant, UUID customerId);

    /**
     * What the receivable account holds per invoice, for invoices it holds anything for: the invoice's own entries and
     * those of the credit notes issued on it, as of the end of {@code asOf}.
     */
    Flux<io.hostrail.ledger.model.ReceivablesAging.OpenReceivable> openReceivables(TenantId tenant, java.time.Instant asOf);

    /** Totals of one account per customer and currency, for the customers that have entries in it. */
    Flux<CustomerAccountTotals> customerTotals(TenantId tenant, Collection<UUID> customerIds, Account account);

    /** Totals per account and currency of the whole tenant. */
    Flux<AccountTotals> totals(TenantId tenant);
}
