package io.hostrail.identity.port.out;

import io.hostrail.identity.model.ApiKey;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public interface ApiKeys {

    /** The tenant a key prefix belongs to; the one lookup made before the tenant is known. */
    Mono<TenantId> tenantOfPrefix(String prefix);

    Mono<ApiKey> create(ApiKey key, byte[] secretHash);

    Mono<ApiKey> findById(TenantId tenant, UUID id);

    /** The key and its stored secret hash, by prefix. */
    Mono<StoredApiKey> findByPrefix(TenantId tenant, String prefix);

    Flux<ApiKey> list(TenantId tenant);

    Mono<Boolean> revoke(TenantId tenant, UUID id, Instant at);

    Mono<Void> touch(TenantId tenant, UUID id, Instant at);

    record StoredApiKey(ApiKey key, byte[] secretHash) {
    }
}
