package io.hostrail.adapters.r2dbc.payment;

import io.hostrail.adapters.r2dbc.TenantPage;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentRefund;
import io.hostrail.payment.port.out.Payments;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcPayments implements Payments {

    private static final String COLUMNS = """
            id, tenant_id, customer_id, invoice_id, provider, method, reference, currency, amount_minor, applied_minor,
            refunded_minor, disputed, note, received_at, created_at, version""";
    private static final String REFUND_COLUMNS = """
            id, tenant_id, payment_id, customer_id, currency, amount_minor, reason, credit_note_id, reference,
            refunded_at""";

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcPayments(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<Payment> insert(Payment p) {
        GenericExecuteSpec spec = database.sql("""
                        INSERT INTO payment (id, tenant_id, customer_id, invoice_id, provider, method, reference, currency,
                            amount_minor, applied_minor, refunded_minor, disputed, note, received_at, created_at,
                            updated_at, version)
                        VALUES (:id, :tenant, :customer, :invoice, :provider, :method, :reference, :currency, :amount,
                            :applied, :refunded, :disputed, :note, :receivedAt, :createdAt, :createdAt, 0)
                        """)
                .bind("id", p.id()).bind("tenant", p.tenant().value()).bind("customer", p.customerId())
                .bind("provider", p.provider().wireName()).bind("method", p.method().wireName())
                .bind("currency", p.amount().currency().getCurrencyCode()).bind("amount", p.amount().minorUnits())
                .bind("applied", p.applied().minorUnits()).bind("refunded", p.refunded().minorUnits())
                .bind("disputed", p.disputed()).bind("receivedAt", p.receivedAt()).bind("createdAt", p.createdAt());
        spec = nullable(spec, "invoice", p.invoiceId(), UUID.class);
        spec = nullable(spec, "reference", p.reference(), String.class);
        spec = nullable(spec, "note", p.note(), String.class);
        return spec.fetch().rowsUpdated().thenReturn(p);
    }

    @Override
    public Mono<Payment> update(Payment p, long expectedVersion) {
        return database.sql("""
                        UPDATE payment SET refunded_minor = :refunded, disputed = :disputed, updated_at = :now,
                            version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                        """)
                .bind("refunded", p.refunded().minorUnits()).bind("disputed", p.disputed())
                .bind("now", clock.instant()).bind("tenant", p.tenant().value()).bind("id", p.id())
                .bind("version", expectedVersion)
                .fetch().rowsUpdated().filter(updated -> updated == 1).map(updated -> p.withVersion(expectedVersion + 1));
    }

    @Override
    public Mono<Payment> find(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM payment WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcPayments::toPayment).one();
    }

    @Override
    public Mono<Payment> findByReference(TenantId tenant, Payment.Provider provider, String reference) {
        return database.sql("SELECT " + COLUMNS + " FROM payment"
                        + " WHERE tenant_id = :tenant AND provider = :provider AND reference = :reference")
                .bind("tenant", tenant.value()).bind("provider", provider.wireName()).bind("reference", reference)
                .map(R2dbcPayments::toPayment).one();
    }

    @Override
    public Flux<Payment> list(TenantId tenant, Query query) {
        return TenantPage.of(COLUMNS, "payment", tenant)
                .where("customer_id = :customer", "customer", query.customerId())
                .where("invoice_id = :invoice", "invoice", query.invoiceId())
                .after(database, query.afterId(), query.limit())
                .map(R2dbcPayments::toPayment).all();
    }

    @Override
    public Mono<PaymentRefund> insertRefund(PaymentRefund r) {
        GenericExecuteSpec spec = database.sql("""
                        INSERT INTO payment_refund (id, tenant_id, payment_id, customer_id, currency, amount_minor, reason,
                            credit_note_id, reference, refunded_at, provider)
                        VALUES (:id, :tenant, :payment, :customer, :currency, :amount, :reason, :creditNote, :reference,
                            :refundedAt, CASE WHEN CAST(:reference AS text) IS NULL THEN NULL
                                ELSE (SELECT p.provider FROM payment p WHERE p.tenant_id = :tenant AND p.id = :payment)
                            END)
                        """)
                .bind("id", r.id()).bind("tenant", r.tenant().value()).bind("payment", r.paymentId())
                .bind("customer", r.customerId()).bind("currency", r.amount().currency().getCurrencyCode())
                .bind("amount", r.amount().minorUnits()).bind("reason", r.reason()).bind("refundedAt", r.refundedAt());
        spec = nullable(spec, "creditNote", r.creditNoteId(), UUID.class);
        spec = nullable(spec, "reference", r.reference(), String.class);
        return spec.fetch().rowsUpdated().thenReturn(r);
    }

    @Override
    public Mono<PaymentRefund> findRefundByReference(TenantId tenant, Payment.Provider provider, String reference) {
        return database.sql("SELECT " + REFUND_COLUMNS + " FROM payment_refund"
                        + " WHERE tenant_id = :tenant AND provider = :provider AND reference = :reference")
                .bind("tenant", tenant.value()).bind("provider", provider.wireName()).bind("reference", reference)
                .map(R2dbcPayments::toRefund).one();
    }

    @Override
    public Flux<PaymentRefund> refunds(TenantId tenant, UUID paymentId) {
        return database.sql("SELECT " + REFUND_COLUMNS + " FROM payment_refund"
                        + " WHERE tenant_id = :tenant AND payment_id = :payment ORDER BY id")
                .bind("tenant", tenant.value()).bind("payment", paymentId).map(R2dbcPayments::toRefund).all();
    }

    private static <T> GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private static Payment toPayment(Readable row) {
        String currency = row.get("currency", String.class);
        return new Payment(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("customer_id", UUID.class), row.get("invoice_id", UUID.class),
                Payment.Provider.fromWire(row.get("provider", String.class)),
                Payment.Method.valueOf(row.get("method", String.class).toUpperCase(Locale.ROOT)),
                row.get("reference", String.class), Money.ofMinor(row.get("amount_minor", Long.class), currency),
                Money.ofMinor(row.get("applied_minor", Long.class), currency),
                Money.ofMinor(row.get("refunded_minor", Long.class), currency), row.get("disputed", Boolean.class),
                row.get("note", String.class), row.get("received_at", Instant.class),
                row.get("created_at", Instant.class), row.get("version", Long.class));
    }

    private static PaymentRefund toRefund(Readable row) {
        return new PaymentRefund(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("payment_id", UUID.class), row.get("customer_id", UUID.class),
                Money.ofMinor(row.get("amount_minor", Long.class), row.get("currency", String.class)),
                row.get("reason", String.class), row.get("credit_note_id", UUID.class),
                row.get("reference", String.class), row.get("refunded_at", Instant.class));
    }
}
