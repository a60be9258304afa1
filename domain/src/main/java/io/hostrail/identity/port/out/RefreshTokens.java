package io.hostrail.identity.port.out;

import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Stored refresh tokens, by hash only. */
public interface RefreshTokens {

    record StoredRefreshToken(UUID id, TenantId tenant, UUID userId, UUID familyId, byte[] tokenHash,
            Instant issuedAt, Instant expiresAt, Instant usedAt, Instant revokedAt) {
    }

    Mono<Void> store(StoredRefreshToken token);

    Mono<StoredRefreshToken> findByHash(TenantId tenant, byte[] tokenHash);

    /** Marks the token used if it was not already; false when another request used it first. */
    Mono<Boolean> markUsed(TenantId tenant, UUID id, Instant at);

    Mono<Void> revokeFamily(TenantId tenant, UUID familyId, Instant at);

    /** Revokes every live refresh token of the user: all their sessions end at the next refresh. */
    Mono<Void> revokeAllOf(TenantId tenant, UUID userId, Instant at);

    /** Deletes tokens that expired before {@code cutoff}; a revoked token is kept until then (reuse detection). */
    Mono<Long> deleteExpiredBefore(TenantId tenant, Instant cutoff);
}
