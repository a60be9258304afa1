package io.hostrail.adapters.r2dbc.identity;

import io.hostrail.identity.port.out.PasswordResetTokens;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

public final class R2dbcPasswordResetTokens implements PasswordResetTokens {

    private final DatabaseClient database;

    public R2dbcPasswordResetTokens(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<Void> store(TenantId tenant, UUID id, UUID userId, byte[] tokenHash, UUID createdBy, Instant createdAt,
            Instant expiresAt) {
        return database.sql("""
                        INSERT INTO password_reset_token (id, tenant_id, user_id, token_hash, created_by, created_at, expires_at)
                        VALUES (:id, :tenant, :user, :hash, :createdBy, :createdAt, :expiresAt)
                        """)
                .bind("id", id).bind("tenant", tenant.value()).bind("user", userId).bind("hash", tokenHash)
                .bind("createdBy", createdBy).bind("createdAt", createdAt).bind("expiresAt", expiresAt)
                .fetch().rowsUpdated().then();
    }

    @Override
    public Mono<StoredResetToken> findByHash(TenantId tenant, byte[] tokenHash) {
        return database.sql("""
                        SELECT id, user_id, expires_at, used_at FROM password_reset_token
                        WHERE tenant_id = :tenant AND token_hash = :hash
                        """)
                .bind("tenant", tenant.value()).bind("hash", tokenHash)
                .map(row -> new StoredResetToken(row.get("id", UUID.class), row.get("user_id", UUID.class),
                        row.get("expires_at", OffsetDateTime.class).toInstant(),
                        row.get("used_at", OffsetDateTime.class) == null ? null : row.get("used_at", OffsetDateTime.class).toInstant()))
                .one();
    }

    @Override
    public Mono<Long> deleteExpiredBefore(TenantId tenant, Instant cutoff) {
        return database.sql("DELETE FROM password_reset_token WHERE tenant_id = :tenant AND expires_at < :cutoff")
                .bind("tenant", tenant.value()).bind("cutoff", cutoff).fetch().rowsUpdated();
    }

    @Override
    public Mono<Boolean> use(TenantId tenant, UUID id, Instant at) {
        return database.sql("UPDATE password_reset_token SET used_at = :at WHERE tenant_id = :tenant AND id = :id AND used_at IS NULL")
                .bind("at", at).bind("tenant", tenant.value()).bind("id", id)
                .fetch().rowsUpdated().map(updated -> updated == 1);
    }
}
