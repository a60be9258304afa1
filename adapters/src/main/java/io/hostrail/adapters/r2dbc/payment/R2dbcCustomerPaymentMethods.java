package io.hostrail.adapters.r2dbc.payment;

import io.hostrail.payment.model.CustomerPaymentMethod;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.port.out.CustomerPaymentMethods;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcCustomerPaymentMethods implements CustomerPaymentMethods {

    private static final String COLUMNS = """
            id, tenant_id, customer_id, provider, reference, type, brand, last4, exp_month, exp_year, is_default,
            created_at, removed_at, version""";
    private static final String LIVE = " FROM saved_payment_method"
            + " WHERE tenant_id = :tenant AND customer_id = :customer AND removed_at IS NULL";

    private final DatabaseClient database;

    public R2dbcCustomerPaymentMethods(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Flux<CustomerPaymentMethod> live(TenantId tenant, UUID customerId) {
        return database.sql("SELECT " + COLUMNS + LIVE + " ORDER BY id DESC")
                .bind("tenant", tenant.value()).bind("customer", customerId)
                .map(R2dbcCustomerPaymentMethods::toMethod).all();
    }

    @Override
    public Mono<CustomerPaymentMethod> find(TenantId tenant, UUID customerId, UUID id) {
        return database.sql("SELECT " + COLUMNS + LIVE + " AND id = :id")
                .bind("tenant", tenant.value()).bind("customer", customerId).bind("id", id)
                .map(R2dbcCustomerPaymentMethods::toMethod).one();
    }

    @Override
    public Mono<CustomerPaymentMethod> defaultOf(TenantId tenant, UUID customerId) {
        return database.sql("SELECT " + COLUMNS + LIVE + " AND is_default")
                .bind("tenant", tenant.value()).bind("customer", customerId)
                .map(R2dbcCustomerPaymentMethods::toMethod).one();
    }

    @Override
    public Mono<CustomerPaymentMethod> insert(CustomerPaymentMethod m) {
        GenericExecuteSpec spec = database.sql("""
                        INSERT INTO saved_payment_method (id, tenant_id, customer_id, provider, reference, type, brand,
                            last4, exp_month, exp_year, is_default, created_at, removed_at, version)
                        VALUES (:id, :tenant, :customer, :provider, :reference, :type, :brand, :last4, :expMonth,
                            :expYear, :isDefault, :createdAt, NULL, :version)
                        ON CONFLICT (tenant_id, provider, reference) DO NOTHING
                        """)
                .bind("id", m.id()).bind("tenant", m.tenant().value()).bind("customer", m.customerId())
                .bind("provider", m.provider().wireName()).bind("reference", m.reference()).bind("type", m.type())
                .bind("isDefault", m.isDefault()).bind("createdAt", m.createdAt()).bind("version", m.version());
        spec = details(spec, m);
        return spec.fetch().rowsUpdated().filter(inserted -> inserted == 1).map(inserted -> m);
    }

    @Override
    public Mono<CustomerPaymentMethod> update(CustomerPaymentMethod m, long expectedVersion) {
        GenericExecuteSpec spec = database.sql("""
                        UPDATE saved_payment_method SET brand = :brand, last4 = :last4, exp_month = :expMonth,
                            exp_year = :expYear, is_default = :isDefault, removed_at = :removedAt, version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                        """)
                .bind("isDefault", m.isDefault()).bind("tenant", m.tenant().value()).bind("id", m.id())
                .bind("version", expectedVersion);
        spec = details(spec, m);
        spec = m.removedAt() == null ? spec.bindNull("removedAt", Instant.class) : spec.bind("removedAt", m.removedAt());
        return spec.fetch().rowsUpdated().filter(updated -> updated == 1)
                .map(updated -> m.withVersion(expectedVersion + 1));
    }

    private static GenericExecuteSpec details(GenericExecuteSpec spec, CustomerPaymentMethod m) {
        spec = m.brand() == null ? spec.bindNull("brand", String.class) : spec.bind("brand", m.brand());
        spec = m.last4() == null ? spec.bindNull("last4", String.class) : spec.bind("last4", m.last4());
        spec = m.expMonth() == null ? spec.bindNull("expMonth", Short.class)
                : spec.bind("expMonth", m.expMonth().shortValue());
        return m.expYear() == null ? spec.bindNull("expYear", Short.class)
                : spec.bind("expYear", m.expYear().shortValue());
    }

    private static CustomerPaymentMethod toMethod(Readable row) {
        Short expMonth = row.get("exp_month", Short.class);
        Short expYear = row.get("exp_year", Short.class);
        return new CustomerPaymentMethod(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("customer_id", UUID.class), Payment.Provider.fromWire(row.get("provider", String.class)),
                row.get("reference", String.class), row.get("type", String.class), row.get("brand", String.class),
                row.get("last4", String.class), expMonth == null ? null : expMonth.intValue(),
                expYear == null ? null : expYear.intValue(), row.get("is_default", Boolean.class),
                row.get("created_at", Instant.class), row.get("removed_at", Instant.class),
                row.get("version", Long.class));
    }
}
