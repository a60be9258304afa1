package io.hostrail.adapters.r2dbc.ledger;

import io.hostrail.ledger.model.Account;
import io.hostrail.ledger.model.Balances.AccountTotals;
import io.hostrail.ledger.model.LedgerEntry;
import io.hostrail.ledger.model.LedgerTransaction;
import io.hostrail.ledger.model.ReceivablesAging.OpenReceivable;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Instant;
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
        UUID tenant = transaction.tenant().value();
        var header = database.sql("""
                        INSERT INTO ledger_transaction (id, tenant_id, kind, customer_id, document_id, description,
                            occurred_at)
                        VALUES (:id, :tenant, :kind, :customer, :document, :description, :occurredAt)
                        """)
                .bind("id", transaction.id()).bind("tenant", tenant).bind("kind", transaction.kind())
                .bind("description", transaction.description()).bind("occurredAt", transaction.occurredAt());
        header = transaction.customerId() == null ? header.bindNull("customer", UUID.class)
                : header.bind("customer", transaction.customerId());
        header = transaction.documentId() == null ? header.bindNull("document", UUID.class)
                : header.bind("document", transaction.documentId());
        return header.fetch().rowsUpdated()
                .thenMany(Flux.fromIterable(transaction.entries()).concatMap(entry -> entry(tenant, transaction.id(), entry)))
                .then(Mono.just(transaction));
    }

    private Mono<Long> entry(UUID tenant, UUID transactionId, LedgerEntry entry) {
        var insert = database.sql("""
                        INSERT INTO ledger_entry (tenant_id, transaction_id, account, customer_id, currency, debit_minor,
                            credit_minor)
                        VALUES (:tenant, :transaction, :account, :customer, :currency, :debit, :credit)
                        """)
                .bind("tenant", tenant).bind("transaction", transactionId).bind("account", entry.account().wireName())
                .bind("currency", entry.debit().currencyCode()).bind("debit", entry.debit().minorUnits())
                .bind("credit", entry.credit().minorUnits());
        insert = entry.customerId() == null ? insert.bindNull("customer", UUID.class) : insert.bind("customer", entry.customerId());
        return insert.fetch().rowsUpdated();
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
    public Flux<AccountTotals> totals(TenantId tenant) {
        return database.sql("""
                        SELECT account, currency, sum(debit_minor) AS debits, sum(credit_minor) AS credits FROM ledger_entry
                        WHERE tenant_id = :tenant GROUP BY account, currency ORDER BY currency, account
                        """)
                .bind("tenant", tenant.value()).map(R2dbcLedger::toTotals).all();
    }

    @Override
    public Flux<OpenReceivable> openReceivables(TenantId tenant, Instant asOf) {
        // Credit notes record their movement under their own id; they settle the invoice they were issued on.
        return database.sql("""
                        SELECT i.id, i.number, i.customer_id, i.due_at, e.currency,
                            sum(e.debit_minor) - sum(e.credit_minor) AS open
                        FROM ledger_entry e
                        JOIN ledger_transaction t ON t.tenant_id = e.tenant_id AND t.id = e.transaction_id
                        LEFT JOIN credit_note n ON n.tenant_id = t.tenant_id AND n.id = t.document_id
                        JOIN invoice i ON i.tenant_id = t.tenant_id AND i.id = COALESCE(n.invoice_id, t.document_id)
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
