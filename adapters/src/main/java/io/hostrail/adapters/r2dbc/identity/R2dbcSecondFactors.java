package io.hostrail.adapters.r2dbc.identity;

import io.hostrail.identity.port.out.SecondFactors;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcSecondFactors implements SecondFactors {

    private final DatabaseClient database;
    private final IdGenerator ids;

    public R2dbcSecondFactors(DatabaseClient database, IdGenerator ids) {
        this.database = database;
        this.ids = ids;
    }

    @Override
    public Mono<StoredTotp> find(TenantId tenant, UUID userId) {
        return database.sql("""
                        SELECT user_id, secret_sealed, confirmed_at, last_used_step FROM user_totp
                        WHERE tenant_id = :tenant AND user_id = :user
                        """)
                .bind("tenant", tenant.value()).bind("user", userId)
                .map(row -> new StoredTotp(row.get("user_id", UUID.class), row.get("secret_sealed", String.class),
                        instant(row.get("confirmed_at", OffsetDateTime.class)), row.get("last_used_step", Long.class)))
                .one();
    }

    @Override
    public Mono<Void> savePending(TenantId tenant, UUID userId, String sealedSecret, Instant at) {
        return database.sql("""
                        INSERT INTO user_totp (tenant_id, user_id, secret_sealed, created_at)
                        VALUES (:tenant, :user, :secret, :at)
                        ON CONFLICT (user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed, created_at = EXCLUDED.created_at,
                            last_used_step = -1
                        WHERE user_totp.confirmed_at IS NULL
                        """)
                .bind("tenant", tenant.value()).bind("user", userId).bind("secret", sealedSecret).bind("at", at)
                .fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Void> confirm(TenantId tenant, UUID userId, Instant at, long usedStep) {
        return database.sql("""
                        UPDATE user_totp SET confirmed_at = :at, last_used_step = :step
                        WHERE tenant_id = :tenant AND user_id = :user AND confirmed_at IS NULL
                        """)
                .bind("at", at).bind("step", usedStep).bind("tenant", tenant.value()).bind("user", userId)
                .fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Boolean> useStep(TenantId tenant, UUID userId, long step) {
        return database.sql("""
                        UPDATE user_totp SET last_used_step = :step
                        WHERE tenant_id = :tenant AND user_id = :user AND last_used_step < :step
                        """)
                .bind("step", step).bind("tenant", tenant.value()).bind("user", userId)
                .fetch().rowsUpdated().map(updated -> updated == 1);
    }

    @Override
    public Mono<Void> delete(TenantId tenant, UUID userId) {
        return database.sql("DELETE FROM user_totp WHERE tenant_id = :tenant AND user_id = :user")
                .bind("tenant", tenant.value()).bind("user", userId).fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Void> replaceRecoveryCodes(TenantId tenant, UUID userId, List<String> codeHashes) {
        return database.sql("DELETE FROM user_recovery_code WHERE tenant_id = :tenant AND user_id = :user")
                .bind("tenant", tenant.value()).bind("user", userId).fetch().rowsUpdated()
                .thenMany(Flux.fromIterable(codeHashes).concatMap(hash -> database.sql("""
                                INSERT INTO user_recovery_code (id, tenant_id, user_id, code_hash)
                                VALUES (:id, :tenant, :user, :hash)
                                """)
                        .bind("id", ids.newId()).bind("tenant", tenant.value()).bind("user", userId).bind("hash", hash)
                        .fetch().rowsUpdated()))
                .then();
    }

    @Override
    public Flux<StoredRecoveryCode> unusedRecoveryCodes(TenantId tenant, UUID userId) {
        return database.sql("""
                        SELECT id, code_hash FROM user_recovery_code
                        WHERE tenant_id = :tenant AND user_id = :user AND used_at IS NULL
                        """)
                .bind("tenant", tenant.value()).bind("user", userId)
                .map(row -> new StoredRecoveryCode(row.get("id", UUID.class), row.get("code_hash", String.class))).all();
    }

    @Override
    public Mono<Boolean> useRecoveryCode(TenantId tenant, UUID id, Instant at) {
        return database.sql("UPDATE user_recovery_code SET used_at = :at WHERE tenant_id = :tenant AND id = :id AND used_at IS NULL")
                .bind("at", at).bind("tenant", tenant.value()).bind("id", id)
                .fetch().rowsUpdated().map(updated -> updated == 1);
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
