package io.hostrail.identity.port.out;

import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

public interface PasswordResetTokens {

    record StoredResetToken(UUID id, UUID userId, Instant expiresAt, Instant usedAt) {
    }

    Mono<Void> store(TenantId tenant, UUID id, UUID userId, byte[] tokenHash, UUID createdBy, Instant createdAt,
            Instant expiresAt);

    Mono<StoredResetToken> findByHash(TenantId tenant, byte[] tokenHash);

    /** Uses the token up if it still is unused; false when it was used meanwhile. */
    Mono<Boolean> use(TenantId tenant, UUID id, Instant at);

    Mono<Long> deleteExpiredBefore(TenantId tenant, Instant cutoff);
}
