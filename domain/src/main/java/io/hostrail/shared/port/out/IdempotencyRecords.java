package io.hostrail.shared.port.out;

import io.hostrail.shared.idempotency.IdempotentResponse;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Idempotency keys per tenant and caller, with the request they were first used for and its answer. */
public interface IdempotencyRecords {

    /** What is recorded under a key: the request's fingerprint and, once it succeeded, its answer. */
    record Recorded(String requestHash, Optional<IdempotentResponse> response) {
    }

    /**
     * Claims the key for a request; true when this call claimed it, false when it is taken. A key claimed before
     * {@code expiredBefore} counts as free.
     */
    Mono<Boolean> claim(TenantId tenant, UUID caller, String key, String requestHash, Instant now, Instant expiredBefore);

    /** The key's record unless it expired (was claimed before {@code expiredBefore}). */
    Mono<Recorded> find(TenantId tenant, UUID caller, String key, Instant expiredBefore);

    Mono<Void> complete(TenantId tenant, UUID caller, String key, IdempotentResponse response, Instant now);

    /** Gives the key up, so the request can be tried again under it. */
    Mono<Void> release(TenantId tenant, UUID caller, String key);

    /** The number of records deleted. */
    Mono<Long> deleteClaimedBefore(TenantId tenant, Instant cutoff);
}
