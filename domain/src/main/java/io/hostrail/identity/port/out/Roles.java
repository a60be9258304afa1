package io.hostrail.identity.port.out;

import io.hostrail.identity.model.Role;
import io.hostrail.shared.model.TenantId;
import java.util.Collection;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The roles of one tenant, built-in and custom. */
public interface Roles {

    Flux<Role> list(TenantId tenant);

    Mono<Role> findById(TenantId tenant, UUID id);

    Mono<Role> findByName(TenantId tenant, String name);

    Flux<Role> findAll(TenantId tenant, Collection<UUID> ids);

    Mono<Role> create(Role role);

    /** Empty when {@code expectedVersion} no longer holds. */
    Mono<Role> update(Role role, long expectedVersion);

    Mono<Boolean> delete(TenantId tenant, UUID id);

    /** Built-in roles too: requiring a second factor is a security policy, not a change of permissions. */
    Mono<Role> setRequiresSecondFactor(TenantId tenant, UUID id, boolean required);

    Mono<Long> countHolders(TenantId tenant, UUID roleId);
}
