package io.hostrail.identity.port.out;

import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Users' TOTP secrets (sealed) and recovery codes (hashed). */
public interface SecondFactors {

    record StoredTotp(UUID userId, String sealedSecret, Instant confirmedAt, long lastUsedStep) {
    }

    record StoredRecoveryCode(UUID id, String codeHash) {
    }

    Mono<StoredTotp> find(TenantId tenant, UUID userId);

    /** Stores a new, unconfirmed secret, replacing an unconfirmed one. */
    Mono<Void> savePending(TenantId tenant, UUID userId, String sealedSecret, Instant at);

    Mono<Void> confirm(TenantId tenant, UUID userId, Instant at, long usedStep);

    /** Records a used step if it is newer than the last; false when another login used it first. */
    Mono<Boolean> useStep(TenantId tenant, UUID userId, long step);

    Mono<Void> delete(TenantId tenant, UUID userId);

    Mono<Void> replaceRecoveryCodes(TenantId tenant, UUID userId, List<String> codeHashes);

    Flux<StoredRecoveryCode> unusedRecoveryCodes(TenantId tenant, UUID userId);

    /** Crosses the code out if still unused; false when it was used meanwhile. */
    Mono<Boolean> useRecoveryCode(TenantId tenant, UUID id, Instant at);
}
