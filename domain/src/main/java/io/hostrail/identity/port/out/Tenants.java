package io.hostrail.identity.port.out;

import io.hostrail.identity.model.Tenant;
import io.hostrail.shared.model.TenantId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The hosting providers on this platform. Not tenant-scoped: it is where tenants come from. */
public interface Tenants {

    Mono<Tenant> findBySlug(String slug);

    Mono<Tenant> findById(TenantId id);

    Mono<Boolean> anyExist();

    Mono<Tenant> create(Tenant tenant);

    /** Every tenant's id, for housekeeping that must walk tenants one by one under row-level security. */
    Flux<TenantId> allIds();
}
