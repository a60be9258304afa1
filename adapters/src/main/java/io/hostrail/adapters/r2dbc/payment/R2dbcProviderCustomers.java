package io.hostrail.adapters.r2dbc.payment;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.port.out.ProviderCustomers;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

public final class R2dbcProviderCustomers implements ProviderCustomers {

    private final DatabaseClient database;

    public R2dbcProviderCustomers(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<String> reference(TenantId tenant, UUID customerId, Payment.Provider provider) {
        return database.sql("SELECT reference FROM payment_provider_customer"
                        + " WHERE tenant_id = :tenant AND customer_id = :customer AND provider = :provider")
                .bind("tenant", tenant.value()).bind("customer", customerId).bind("provider", provider.wireName())
                .map(row -> row.get("reference", String.class)).one();
    }

    @Override
    public Mono<String> storeIfAbsent(TenantId tenant, UUID customerId, Payment.Provider provider, String reference,
            Instant createdAt) {
        // Any key: two set-ups at once both learn the same cus_ (Stripe answers the keyed request once) and the second
        // insert meets the first on the reference as well as on the customer.
        return database.sql("""
                        INSERT INTO payment_provider_customer (tenant_id, customer_id, provider, reference, created_at)
                        VALUES (:tenant, :customer, :provider, :reference, :createdAt)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("tenant", tenant.value()).bind("customer", customerId).bind("provider", provider.wireName())
                .bind("reference", reference).bind("createdAt", createdAt)
                .fetch().rowsUpdated()
                // Whoever stored first, that reference is the customer's.
                .then(reference(tenant, customerId, provider));
    }
}
