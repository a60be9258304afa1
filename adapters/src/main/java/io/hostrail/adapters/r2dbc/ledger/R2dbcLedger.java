package io.hostrail.adapters.r2dbc.ledger;

import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.Balances.AccountTotals;
import io.hostrail.ledger.model.Balances.CustomerAccountTotals;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.ledger.model.ReceivablesAging.OpenReceivable;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcLedger implements Ledger {

    private final DatabaseClient database;

    public R2dbcLedger(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<LedgerTransaction> record(LedgerTransaction transaction) {
        return recordAll(List.of(transaction)).thenReturn(transaction);
    }

    /**
     * Two statements for any number of transactions: the headers, then every entry. All of a transaction's entries go
     * in one statement, at the end of which the database checks that each transaction it touched balances.
     */
    @Override
    public Mono<Void> recordAll(List<LedgerTransaction> transactions) {
        if (transactions.isEmpty()) {
            return Mono.empty();
        }
        int n = transactions.size();
        UUID[] ids = new UUID[n];
        String[] kinds = new String[n];
        UUID[] customers = new UUID[n];
        UUID[] documents = new UUID[n];
        String[] descriptions = new String[n];
        Instant[] occurred = new Instant[n];
        List<UUID> entryTransactions = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        List<UUID> entryCustomers = new ArrayList<>();
        List<String> currencies = new ArrayList<>();
        List<Long> debits = new ArrayList<>();
        List<Long> credits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LedgerTransaction transaction = transactions.get(i);
            ids[i] = transaction.id();
            kinds[i] = transaction.kind();
            customers[i] = transaction.customerId();
            documents[i] = transaction.documentId();
            descriptions[i] = transaction.description();
            occurred[i] = transaction.occurredAt();
            for (LedgerEntry entry : transaction.entries()) {
                entryTransactions.add(transaction.id());
                accounts.add(entry.account().wireName());
                entryCustomers.add(entry.customerId());
                currencies.add(entry.debit().currencyCode());
                debits.add(entry.debit().minorUnits());
                credits.add(entry.credit().minorUnits());
            }
        }
        UUID tenant = transactions.getFirst().tenant().value();
        return database.sql("""
                        INSERT INTO ledger_transaction (id, tenant_id, kind, customer_id, document_id, description,
                            occurred_at)
                        SELECT t.id, :tenant, t.kind, t.customer_id, t.document_id, t.description, t.occurred_at
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:kinds AS text[]), CAST(:customers AS uuid[]),
                            CAST(:documents AS uuid[]), CAST(:descriptions AS text[]), CAST(:occurred AS timestamptz[]))
                            AS t (id, kind, customer_id, document_id, description, occurred_at)
                        """)
                .bind("tenant", tenant).bind("ids", ids).bind("kinds", kinds).bind("customers", customers)
                .bind("documents", documents).bind("descriptions", descriptions).bind("occurred", occurred)
                .fetch().rowsUpdated()
                .then(database.sql("""
                                INSERT INTO ledger_entry (tenant_id, transaction_id, account, customer_id, currency,
                                    debit_minor, credit_minor)
                                SELECT :tenant, e.transaction_id, e.account, e.customer_id, e.currency, e.debit, e.credit
                                FROM unnest(CAST(:transactions AS uuid[]), CAST(:accounts AS text[]),
                                    CAST(:customers AS uuid[]), CAST(:currencies AS text[]), CAST(:debits AS bigint[]),
                                    CAST(:credits AS bigint[]))
                                    AS e (transaction_id, account, customer_id, currency, debit, credit)
                                """)
                        .bind("tenant", tenant).bind("transactions", entryTransactions.toArray(UUID[]::new))
                        .bind("accounts", accounts.toArray(String[]::new))
                        .bind("customers", entryCustomers.toArray(UUID[]::new))
                        .bind("currencies", currencies.toArray(String[]::new))
                        .bind("debits", debits.toArray(Long[]::new)).bind("credits", credits.toArray(Long[]::new))
                        .fetch().rowsUpdated())
                .then();
    }

    @Override
    public Flux<AccountTotals> customerTotals(TenantId tenant, UUID customerId) {
        return database.sql("""
                        SELECT account, currency, sum(debit_minor) AS debits, sum(credit_minor) AS credits FROM ledger_entry
                        WHERE tenant_id = :tenant AND customer_id = :customer GROUP BY account, currency
                        """)
                .bind("tenant", tenant.value()).bind("customer", customerId).map(R2dbcLedger::toTotals).all();
    }

    @Override
    public Flux<CustomerAccountTotals> customerTotals(TenantId tenant, Collection<UUID> customerIds, Account account) {
        return database.sql("""
                        SELECT customer_id, account, currency, sum(debit_minor) AS debits, sum(credit_minor) AS credits
                        FROM ledger_entry
                        WHERE tenant_id = :tenant AND customer_id = ANY(:customers) AND account = :account
                        GROUP BY customer_id, account, currency
                        """)
                .bind("tenant", tenant.value()).bind("customers", customerIds.toArray(UUID[]::new))
                .bind("account", account.wireName())
                .map(row -> new CustomerAccountTotals(row.get("customer_id", UUID.class), toTotals(row))).all();
    }

    @Override
    public Flux<AccountTotals> totals(TenantId tenant) {
        return database.sql("""
                        SELECT account, currency, sum(debit_minor) AS debits, sum(credit_minor) AS credits FROM ledger_entry
                        WHERE tenant_id = :tenant GROUP BY account, currency ORDER BY currency, account
                        """)
                .bind("tenant", tenant.value()).map(R2dbcLedger::toTotals).all();
    }

    @Override
    public Flux<OpenReceivable> openReceivables(TenantId tenant, Instant asOf) {
        // Credit notes and payments record their movements under their own ids; they settle the invoice they name.
        return database.sql("""
                        SELECT i.id, i.number, i.customer_id, i.due_at, e.currency,
                            sum(e.debit_minor) - sum(e.credit_minor) AS open
                        FROM ledger_entry e
                        JOIN ledger_transaction t ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
                        LEFT JOIN credit_note n ON n.tenant_id = t.tenant_id AND n.id = t.document_id
                        LEFT JOIN payment p ON p.tenant_id = t.tenant_id AND p.id = t.document_id
                        JOIN invoice i ON i.tenant_id = t.tenant_id
                            AND i.id = COALESCE(n.invoice_id, p.invoice_id, t.document_id)
                        WHERE e.tenant_id = :tenant AND e.account = 'accounts_receivable' AND t.occurred_at < :asOf
                        GROUP BY i.id, i.number, i.customer_id, i.due_at, e.currency
                        HAVING sum(e.debit_minor) - sum(e.credit_minor) <> 0
                        ORDER BY i.due_at, i.id
                        """)
                .bind("tenant", tenant.value()).bind("asOf", asOf)
                .map(row -> new OpenReceivable(row.get("id", UUID.class), row.get("number", String.class),
                        row.get("customer_id", UUID.class), row.get("due_at", Instant.class),
                        Money.ofMinor(row.get("open", java.math.BigDecimal.class).longValueExact(),
                                row.get("currency", String.class))))
                .all();
    }

    private static AccountTotals toTotals(Readable row) {
        String currency = row.get("currency", String.class);
        // sum(bigint) is numeric in PostgreSQL.
        return new AccountTotals(Account.fromWire(row.get("account", String.class)),
                Money.ofMinor(row.get("debits", java.math.BigDecimal.class).longValueExact(), currency),
                Money.ofMinor(row.get("credits", java.math.BigDecimal.class).longValueExact(), currency));
    }
}
