package io.hostrail.api.support;

import java.time.Duration;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Billing data in bulk, written with set-based SQL as the application role (so row-level security applies), for tests
 * and benchmarks that need hundreds or hundreds of thousands of subscriptions without ordering each through the API.
 */
public final class BillingFixtures {

    private final DatabaseClient database;
    private final String tenantId;

    public BillingFixtures(DatabaseClient database, String tenantId) {
        this.database = database;
        this.tenantId = tenantId;
    }

    /** Active customers paying in EUR, with a billing address in {@code country}, or none when it is null. */
    public void customers(int count, String country) {
        sql("""
                INSERT INTO customer (id, tenant_id, name, email, currency, language, status, address_line1, address_city,
                    address_postal_code, address_country, contacts, created_at, updated_at)
                SELECT uuidv7(), '%1$s', 'Customer ' || g, 'billing-' || g || '-' || gen_random_uuid() || '@example.com',
                    'EUR', 'de', 'active', %3$s, %4$s, %5$s, %6$s, '[]', now(), now()
                FROM generate_series(1, %2$d) g;
                """.formatted(tenantId, count, country == null ? "NULL" : "'Hauptstraße ' || g",
                country == null ? "NULL" : "'Berlin'", country == null ? "NULL" : "'10115'",
                country == null ? "NULL" : "'" + country + "'"));
    }

    /**
     * Gives every {@code nth} customer (the first, then every nth in id order) {@code minor} cents of credit, as a
     * balanced manual credit; returns how many got some.
     */
    public long credit(int nth, long minor) {
        sql("""
                WITH credited AS MATERIALIZED (
                    SELECT id AS customer_id, uuidv7() AS transaction_id
                    FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM customer WHERE tenant_id = '%1$s') c
                    WHERE k %% %2$d = 1 %% %2$d),   -- 1 mod 1 is 0: with nth = 1, every customer
                header AS (
                    INSERT INTO ledger_transaction (id, tenant_id, kind, customer_id, description, occurred_at)
                    SELECT transaction_id, '%1$s', 'manual_credit', customer_id, 'Prepaid', now() FROM credited
                    RETURNING id, customer_id)
                INSERT INTO ledger_entry (tenant_id, transaction_id, account, customer_id, currency, debit_minor, credit_minor)
                SELECT '%1$s', header.id, side.account, header.customer_id, 'EUR', side.debit, side.credit
                FROM header CROSS JOIN (VALUES ('credit_adjustments', %3$d, 0), ('customer_credit', 0, %3$d))
                    AS side (account, debit, credit);
                """.formatted(tenantId, nth, minor));
        return count("SELECT count(*) AS n FROM ledger_transaction WHERE kind = 'manual_credit'");
    }

    /**
     * {@code count} active monthly subscriptions of the product, shared out evenly among the tenant's customers in id
     * order. Each is in a period that ends between one hour and thirteen days from now and is billed through that end,
     * so its next period is due within the default 14 days' lead; the anchors spread over seconds and days, as orders
     * do.
     */
    public void monthlySubscriptions(String productId, int count) {
        sql("""
                WITH c AS MATERIALIZED (
                    SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS customers
                    FROM customer WHERE tenant_id = '%1$s'),
                s AS (
                    SELECT g, date_trunc('second', now()) - interval '1 month' + interval '1 hour'
                        + (g %% 13) * interval '1 day' + (g %% 86400) * interval '1 second' AS anchor
                    FROM generate_series(0, %3$d - 1) g)
                INSERT INTO subscription (id, tenant_id, customer_id, product_id, cycle, currency, status, quantity, options,
                    anchor, period_start, period_end, billed_through, cancel_at_period_end, created_at, updated_at, version)
                SELECT uuidv7(), '%1$s', c.id, '%2$s', 'monthly', 'EUR', 'active', 1, '[]', s.anchor, s.anchor,
                    s.anchor + interval '1 month', s.anchor + interval '1 month', false, s.anchor, now(), 0
                FROM s JOIN c ON c.k = s.g %% c.customers;
                """.formatted(tenantId, productId, count));
    }

    /** Runs the statements in one transaction as the tenant. */
    public void sql(String statements) {
        database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n" + statements).then()
                .block(Duration.ofMinutes(5));
    }

    /** Runs a statement as the tenant and returns the first column of its one row as text: an id it RETURNs, say. */
    public String value(String statement) {
        return database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n" + statement)
                .map(row -> String.valueOf(row.get(0))).one().block(Duration.ofMinutes(2));
    }

    /** The single {@code n} column of the query's single row, read as the tenant; 0 for SQL NULL. */
    public long count(String query) {
        Long n = database.sql("SET LOCAL hostrail.tenant_id = '" + tenantId + "';\n" + query)
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofMinutes(2));
        return n == null ? 0 : n;
    }
}
