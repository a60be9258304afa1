package io.hostrail.identity.port.out;

import io.hostrail.identity.model.User;
import io.hostrail.shared.model.TenantId;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The logins of one tenant. Every method is scoped to the tenant it names. */
public interface Users {

    Mono<User> findById(TenantId tenant, UUID id);

    Mono<User> findByEmail(TenantId tenant, String email);

    /** Users in id order after {@code afterId} (null for the first page). */
    Flux<User> list(TenantId tenant, UUID afterId, int limit);

    Mono<User> create(User user, String passwordHash);

    Mono<String> passwordHash(TenantId tenant, UUID userId);

    /** Replaces roles and status if {@code expectedVersion} still holds; empty when it does not. */
    Mono<User> update(User user, long expectedVersion);

    Mono<Void> replaceRoles(TenantId tenant, UUID userId, Set<UUID> roleIds);

    Mono<Void> changePasswordHash(TenantId tenant, UUID userId, String passwordHash);
}
