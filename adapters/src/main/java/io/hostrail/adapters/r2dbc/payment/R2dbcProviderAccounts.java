package io.hostrail.adapters.r2dbc.payment;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.ProviderCredentials;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.hostrail.payment.port.out.ProviderAccounts;
import io.hostrail.shared.model.TenantId;
import java.time.Clock;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

public final class R2dbcProviderAccounts implements ProviderAccounts {

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcProviderAccounts(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<List<String>> sealedWebhookSecrets(TenantId tenant, Payment.Provider provider) {
        return database.sql("SELECT webhook_secrets_sealed FROM payment_provider_account"
                        + " WHERE tenant_id = :tenant AND provider = :provider")
                .bind("tenant", tenant.value()).bind("provider", provider.wireName())
                .map(row -> List.of(row.get("webhook_secrets_sealed", String[].class))).one()
                .defaultIfEmpty(List.of());
    }

    @Override
    public Mono<Void> saveWebhookSecrets(TenantId tenant, Payment.Provider provider, List<String> sealed) {
        return database.sql("""
                        INSERT INTO payment_provider_account (tenant_id, provider, webhook_secrets_sealed, updated_at)
                        VALUES (:tenant, :provider, :secrets, :now)
                        ON CONFLICT (tenant_id, provider)
                        DO UPDATE SET webhook_secrets_sealed = EXCLUDED.webhook_secrets_sealed, updated_at = EXCLUDED.updated_at
                        """)
                .bind("tenant", tenant.value()).bind("provider", provider.wireName())
                .bind("secrets", sealed.toArray(String[]::new)).bind("now", clock.instant())
                .fetch().rowsUpdated().then();
    }

    @Override
    public Mono<ProviderCredentials> credentials(TenantId tenant, Payment.Provider provider) {
        return database.sql("SELECT environment, public_key, secret_sealed, webhook_id FROM payment_provider_account"
                        + " WHERE tenant_id = :tenant AND provider = :provider AND secret_sealed IS NOT NULL")
                .bind("tenant", tenant.value()).bind("provider", provider.wireName())
                .map(row -> new ProviderCredentials(provider,
                        ProviderCredentials.Environment.fromWire(row.get("environment", String.class)),
                        row.get("public_key", String.class), row.get("secret_sealed", String.class),
                        row.get("webhook_id", String.class)))
                .one();
    }

    @Override
    public Mono<Void> saveCredentials(TenantId tenant, ProviderCredentials credentials) {
        return database.sql("""
                        INSERT INTO payment_provider_account
                            (tenant_id, provider, environment, public_key, secret_sealed, webhook_id, updated_at)
                        VALUES (:tenant, :provider, :environment, :publicKey, :secret, :webhookId, :now)
                        ON CONFLICT (tenant_id, provider) DO UPDATE SET environment = EXCLUDED.environment,
                            public_key = EXCLUDED.public_key, secret_sealed = EXCLUDED.secret_sealed,
                            webhook_id = EXCLUDED.webhook_id, updated_at = EXCLUDED.updated_at
                        """)
                .bind("tenant", tenant.value()).bind("provider", credentials.provider().wireName())
                .bind("environment", credentials.environment().wireName())
                .bind("publicKey", credentials.publicKey()).bind("secret", credentials.sealedSecret())
                .bind("webhookId", Parameters.in(R2dbcType.VARCHAR, credentials.webhookId()))
                .bind("now", clock.instant())
                .fetch().rowsUpdated().then();
    }
}
