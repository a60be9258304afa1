package io.hostrail.adapters.r2dbc.payment;

import io.hostrail.adapters.r2dbc.TenantPage;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentAttempt;
import io.hostrail.payment.port.out.PaymentAttempts;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import io.hostrail.payment.service.PaymentAttemptService;
import io.hostrail.shared.error.DomainException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcPaymentAttempts implements PaymentAttempts {

    private static final String COLUMNS = """
            id, tenant_id, invoice_id, customer_id, provider, purpose, currency, amount_minor, payment_method_reference,
            status, reference, payment_id, decline_code, decline_message, checks, next_check_at, created_at, updated_at,
            version""";

    private final DatabaseClient database;

    public R2dbcPaymentAttempts(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<PaymentAttempt> insert(PaymentAttempt a) {
        return withPayment(database.sql("""
                        INSERT INTO payment_attempt (id, tenant_id, invoice_id, customer_id, provider, purpose, currency,
                            amount_minor, payment_method_reference, status, reference, payment_id, decline_code,
                            decline_message, checks, next_check_at, created_at, updated_at, version)
                        VALUES (:id, :tenant, :invoice, :customer, :provider, :purpose, :currency, :amount, :method,
                            :status, :reference, :payment, :code, :message, :checks, :nextCheckAt, :createdAt,
                            :updatedAt, 0)
                        """)
                .bind("id", a.id()).bind("tenant", a.tenant().value()).bind("invoice", a.invoiceId())
                .bind("customer", a.customerId()).bind("provider", a.provider().wireName())
                .bind("purpose", a.purpose().wireName()).bind("currency", a.amount().currency().getCurrencyCode())
                .bind("amount", a.amount().minorUnits())
                .bind("method", text(a.paymentMethodReference()))
                .bind("status", a.status().wireName()).bind("reference", text(a.reference()))
                .bind("code", text(a.declineCode())).bind("message", text(a.declineMessage()))
                .bind("checks", a.checks()).bind("nextCheckAt", Parameters.in(R2dbcType.TIMESTAMP_WITH_TIME_ZONE,
                        a.nextCheckAt()))
                .bind("createdAt", a.createdAt()).bind("updatedAt", a.updatedAt()), a.paymentId())
                .fetch().rowsUpdated().thenReturn(a)
                // Another charge of the invoice's saved method began at the same moment and holds the one open slot.
                .onErrorMap(DuplicateKeyException.class, duplicate -> new DomainException(
                        PaymentAttemptService.IN_PROGRESS, "Another attempt is charging invoice " + a.invoiceId()
                                + " at this moment; it settles first."));
    }

    @Override
    public Mono<PaymentAttempt> update(PaymentAttempt a, long expectedVersion) {
        return withPayment(database.sql("""
                        UPDATE payment_attempt SET status = :status, reference = :reference, payment_id = :payment,
                            decline_code = :code, decline_message = :message, checks = :checks,
                            next_check_at = :nextCheckAt, updated_at = :updatedAt, version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                        RETURNING
                        """ + COLUMNS)
                .bind("status", a.status().wireName()).bind("reference", text(a.reference()))
                .bind("code", text(a.declineCode())).bind("message", text(a.declineMessage()))
                .bind("checks", a.checks()).bind("nextCheckAt", Parameters.in(R2dbcType.TIMESTAMP_WITH_TIME_ZONE,
                        a.nextCheckAt()))
                .bind("updatedAt", a.updatedAt()).bind("tenant", a.tenant().value()).bind("id", a.id())
                .bind("version", expectedVersion), a.paymentId())
                .map(R2dbcPaymentAttempts::toAttempt).one();
    }

    @Override
    public Mono<PaymentAttempt> find(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM payment_attempt WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcPaymentAttempts::toAttempt).one();
    }

    @Override
    public Mono<PaymentAttempt> lock(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM payment_attempt WHERE tenant_id = :tenant AND id = :id"
                        + " FOR UPDATE")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcPaymentAttempts::toAttempt).one();
    }

    @Override
    public Mono<PaymentAttempt> openCheckout(TenantId tenant, UUID invoiceId, Payment.Provider provider) {
        return database.sql("SELECT " + COLUMNS + """
                         FROM payment_attempt
                        WHERE tenant_id = :tenant AND invoice_id = :invoice AND provider = :provider
                          AND purpose = 'checkout' AND status = 'pending'
                        ORDER BY id DESC LIMIT 1
                        """)
                .bind("tenant", tenant.value()).bind("invoice", invoiceId).bind("provider", provider.wireName())
                .map(R2dbcPaymentAttempts::toAttempt).one();
    }

    @Override
    public Mono<PaymentAttempt> openOffSession(TenantId tenant, UUID invoiceId) {
        return database.sql("SELECT " + COLUMNS + """
                         FROM payment_attempt
                        WHERE tenant_id = :tenant AND invoice_id = :invoice AND purpose = 'off_session'
                          AND status IN ('started', 'pending', 'unknown')
                        LIMIT 1
                        """)
                .bind("tenant", tenant.value()).bind("invoice", invoiceId)
                .map(R2dbcPaymentAttempts::toAttempt).one();
    }

    @Override
    public Flux<PaymentAttempt> claimDue(TenantId tenant, Instant now, Duration lease, int limit) {
        return database.sql("""
                        UPDATE payment_attempt SET next_check_at = :leasedUntil, checks = checks + 1,
                            version = version + 1
                        WHERE tenant_id = :tenant AND id IN (
                            SELECT id FROM payment_attempt
                            WHERE tenant_id = :tenant AND next_check_at <= :now
                            ORDER BY next_check_at LIMIT :limit
                            FOR UPDATE SKIP LOCKED)
                        RETURNING
                        """ + COLUMNS)
                .bind("tenant", tenant.value()).bind("now", now).bind("leasedUntil", now.plus(lease))
                .bind("limit", limit)
                .map(R2dbcPaymentAttempts::toAttempt).all();
    }

    @Override
    public Flux<PaymentAttempt> list(TenantId tenant, Query query) {
        return TenantPage.of(COLUMNS, "payment_attempt", tenant)
                .where("invoice_id = :invoice", "invoice", query.invoiceId())
                .where("customer_id = :customer", "customer", query.customerId())
                .where("status = :status", "status", query.status() == null ? null : query.status().wireName())
                .after(database, query.afterId(), query.limit())
                .map(R2dbcPaymentAttempts::toAttempt).all();
    }

    private static GenericExecuteSpec withPayment(GenericExecuteSpec spec, UUID paymentId) {
        return paymentId == null ? spec.bindNull("payment", UUID.class) : spec.bind("payment", paymentId);
    }

    private static io.r2dbc.spi.Parameter text(String value) {
        return Parameters.in(R2dbcType.VARCHAR, value);
    }

    private static PaymentAttempt toAttempt(Readable row) {
        return new PaymentAttempt(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("invoice_id", UUID.class), row.get("customer_id", UUID.class),
                Payment.Provider.fromWire(row.get("provider", String.class)),
                PaymentAttempt.Purpose.fromWire(row.get("purpose", String.class)),
                Money.ofMinor(row.get("amount_minor", Long.class), row.get("currency", String.class)),
                row.get("payment_method_reference", String.class),
                PaymentAttempt.Status.fromWire(row.get("status", String.class)), row.get("reference", String.class),
                row.get("payment_id", UUID.class), row.get("decline_code", String.class),
                row.get("decline_message", String.class), row.get("checks", Integer.class),
                row.get("next_check_at", Instant.class), row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class), row.get("version", Long.class));
    }
}
