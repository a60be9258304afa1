package io.hostrail.adapters.r2dbc.secrets;

import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.shared.secret.SecretBox;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.service.PaymentProviderService;
import io.hostrail.payment.service.WebhookService;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Re-encrypts every sealed value under the active master key, so an old key can be retired: add the new
 * key, make it active, let this run, then remove the old one. Tenant tables are walked one tenant at a
 * time, inside that tenant's row-level security. Safe to run repeatedly and on several instances: each
 * row is resealed only if it still names another key, and only if it still holds the value read.
 */
public final class R2dbcSecretResealer {

    private final DatabaseClient database;
    private final UnitOfWork unitOfWork;
    private final SecretBox secretBox;

    public R2dbcSecretResealer(DatabaseClient database, UnitOfWork unitOfWork, SecretBox secretBox) {
        this.database = database;
        this.unitOfWork = unitOfWork;
        this.secretBox = secretBox;
    }

    /** The number of values resealed. */
    public Mono<Long> resealAll() {
        String current = "hs1:" + secretBox.activeKeyId() + ":%";
        Mono<Long> signingKeys = unitOfWork.inTransactionMany(() -> database
                        .sql("SELECT kid, private_jwk FROM signing_key WHERE private_jwk NOT LIKE :current")
                        .bind("current", current)
                        .map(row -> new Sealed(row.get("kid", String.class), row.get("private_jwk", String.class))).all()
                        .concatMap(sealed -> database.sql("UPDATE signing_key SET private_jwk = :resealed WHERE kid = :kid AND private_jwk = :old")
                                .bind("resealed", secretBox.reseal(sealed.value(), "platform:signing-key:" + sealed.key()))
                                .bind("kid", sealed.key()).bind("old", sealed.value())
                                .fetch().rowsUpdated()))
                .reduce(0L, Long::sum);
        Mono<Long> totpSecrets = database.sql("SELECT id FROM tenant").map(row -> new TenantId(row.get("id", UUID.class))).all()
                .concatMap(tenant -> TenantContext.within(tenant, unitOfWork.inTransactionMany(() -> database
                                .sql("SELECT user_id, secret_sealed FROM user_totp WHERE tenant_id = :tenant AND secret_sealed NOT LIKE :current")
                                .bind("tenant", tenant.value()).bind("current", current)
                                .map(row -> new Sealed(row.get("user_id", UUID.class).toString(), row.get("secret_sealed", String.class)))
                                .all()
                                .concatMap(sealed -> database.sql("""
                                                UPDATE user_totp SET secret_sealed = :resealed
                                                WHERE tenant_id = :tenant AND user_id = :user AND secret_sealed = :old
                                                """)
                                        .bind("resealed", secretBox.reseal(sealed.value(),
                                                "tenant:" + tenant.value() + ":user:" + sealed.key() + ":totp"))
                                        .bind("tenant", tenant.value()).bind("user", UUID.fromString(sealed.key()))
                                        .bind("old", sealed.value())
                                        .fetch().rowsUpdated()))
                        .reduce(0L, Long::sum)))
                .reduce(0L, Long::sum);
        Mono<Long> providerSecrets = database.sql("SELECT id FROM tenant").map(row -> new TenantId(row.get("id", UUID.class))).all()
                .concatMap(tenant -> TenantContext.within(tenant, unitOfWork.inTransactionMany(() -> database
                                .sql("""
                                        SELECT provider, secret_sealed, webhook_secrets_sealed FROM payment_provider_account
                                        WHERE tenant_id = :tenant FOR UPDATE
                                        """)
                                .bind("tenant", tenant.value())
                                .map(row -> new ProviderSecrets(Payment.Provider.fromWire(row.get("provider", String.class)),
                                        row.get("secret_sealed", String.class),
                                        List.of(row.get("webhook_secrets_sealed", String[].class))))
                                .all()
                                .filter(stored -> stored.sealed().anyMatch(value -> !secretBox.isSealedWithActiveKey(value)))
                                .concatMap(stored -> database.sql("""
                                                UPDATE payment_provider_account SET secret_sealed = :secret, webhook_secrets_sealed = :webhookSecrets
                                                WHERE tenant_id = :tenant AND provider = :provider
                                                """)
                                        .bind("secret", Parameters.in(R2dbcType.VARCHAR, stored.secret() == null ? null
                                                : secretBox.reseal(stored.secret(), PaymentProviderService.context(tenant, stored.provider()))))
                                        .bind("webhookSecrets", stored.webhookSecrets().stream()
                                                .map(value -> secretBox.reseal(value, WebhookService.context(tenant, stored.provider())))
                                                .toArray(String[]::new))
                                        .bind("tenant", tenant.value()).bind("provider", stored.provider().wireName())
                                        .fetch().rowsUpdated()))
                        .reduce(0L, Long::sum)))
                .reduce(0L, Long::sum);
        return signingKeys.zipWith(totpSecrets, Long::sum).zipWith(providerSecrets, Long::sum);
    }

    private record Sealed(String key, String value) {
    }

    /** A tenant's sealed values at one payment provider: the account's secret, if connected, and the webhook secrets. */
    private record ProviderSecrets(Payment.Provider provider, String secret, List<String> webhookSecrets) {

        Stream<String> sealed() {
            return Stream.concat(Stream.ofNullable(secret), webhookSecrets.stream());
        }
    }

}
