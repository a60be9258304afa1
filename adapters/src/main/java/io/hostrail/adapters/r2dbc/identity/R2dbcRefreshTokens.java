package io.hostrail.adapters.r2dbc.identity;

import io.hostrail.identity.port.out.RefreshTokens;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

public final class R2dbcRefreshTokens implements RefreshTokens {

    private final DatabaseClient database;

    public R2dbcRefreshTokens(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<Void> store(StoredRefreshToken token) {
        return database.sql("""
                        INSERT INTO refresh_token (id, tenant_id, user_id, family_id, token_hash, issued_at, expires_at)
                        VALUES (:id, :tenant, :user, :family, :hash, :issued, :expires)
                        """)
                .bind("id", token.id()).bind("tenant", token.tenant().value()).bind("user", token.userId())
                .bind("family", token.familyId()).bind("hash", token.tokenHash()).bind("issued", token.issuedAt())
                .bind("expires", token.expiresAt())
                .fetch().rowsUpdated().then();
    }

    @Override
    public Mono<StoredRefreshToken> findByHash(TenantId tenant, byte[] tokenHash) {
        return database.sql("""
                        SELECT id, tenant_id, user_id, family_id, token_hash, issued_at, expires_at, used_at, revoked_at
                        FROM refresh_token WHERE tenant_id = :tenant AND token_hash = :hash
                        """)
                .bind("tenant", tenant.value()).bind("hash", tokenHash)
                .map(row -> new StoredRefreshToken(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                        row.get("user_id", UUID.class), row.get("family_id", UUID.class), row.get("token_hash", byte[].class),
                        instant(row.get("issued_at", OffsetDateTime.class)), instant(row.get("expires_at", OffsetDateTime.class)),
                        instant(row.get("used_at", OffsetDateTime.class)), instant(row.get("revoked_at", OffsetDateTime.class))))
                .one();
    }

    @Override
    public Mono<Boolean> markUsed(TenantId tenant, UUID id, Instant at) {
        // Conditional on used_at IS NULL: of two concurrent refreshes with one token, exactly one wins.
        return database.sql("UPDATE refresh_token SET used_at = :at WHERE tenant_id = :tenant AND id = :id AND used_at IS NULL")
                .bind("at", at).bind("tenant", tenant.value()).bind("id", id)
                .fetch().rowsUpdated().map(updated -> updated == 1);
    }

    @Override
    public Mono<Void> revokeFamily(TenantId tenant, UUID familyId, Instant at) {
        return database.sql("""
                        UPDATE refresh_token SET revoked_at = :at
                        WHERE tenant_id = :tenant AND family_id = :family AND revoked_at IS NULL
                        """)
                .bind("at", at).bind("tenant", tenant.value()).bind("family", familyId)
                .fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Void> revokeAllOf(TenantId tenant, UUID userId, Instant at) {
        return database.sql("""
                        UPDATE refresh_token SET revoked_at = :at
                        WHERE tenant_id = :tenant AND user_id = :user AND revoked_at IS NULL
                        """)
                .bind("at", at).bind("tenant", tenant.value()).bind("user", userId)
                .fetch().rowsUpdated().then();
    }

    @Override
    public Mono<Long> deleteExpiredBefore(TenantId tenant, Instant cutoff) {
        return database.sql("DELETE FROM refresh_token WHERE tenant_id = :tenant AND expires_at < :cutoff")
                .bind("tenant", tenant.value()).bind("cutoff", cutoff).fetch().rowsUpdated();
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
