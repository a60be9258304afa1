package io.hostrail.identity.service;

import io.hostrail.identity.model.BuiltInRole;
import io.hostrail.identity.model.Role;
import io.hostrail.identity.model.Tenant;
import io.hostrail.identity.model.User;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.port.out.PasswordHasher;
import io.hostrail.identity.port.out.Roles;
import io.hostrail.identity.port.out.Tenants;
import io.hostrail.identity.port.out.Users;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Creates a tenant with its built-in roles and its first owner: at first start, and when onboarding a provider. */
public final class TenantBootstrap {

    public record NewTenant(String slug, String name, String ownerEmail, String ownerPassword) {
    }

    public record Created(Tenant tenant, User owner) {
    }

    private final Tenants tenants;
    private final Roles roles;
    private final Users users;
    private final PasswordHasher hasher;
    private final UnitOfWork unitOfWork;
    private final IdGenerator ids;

    public TenantBootstrap(Tenants tenants, Roles roles, Users users, PasswordHasher hasher, UnitOfWork unitOfWork,
            IdGenerator ids) {
        this.tenants = tenants;
        this.roles = roles;
        this.users = users;
        this.hasher = hasher;
        this.unitOfWork = unitOfWork;
        this.ids = ids;
    }

    public Mono<Boolean> anyTenantExists() {
        return tenants.anyExist();
    }

    public Mono<Created> create(NewTenant request) {
        Tenant tenant = new Tenant(new TenantId(ids.newId()), request.slug(), request.name(), Tenant.Status.ACTIVE);
        List<Role> builtIns = Arrays.stream(BuiltInRole.values())
                .map(role -> new Role(ids.newId(), tenant.id(), role.roleName(), role.description(), role.permissions(), true, false, 0))
                .toList();
        Role owner = builtIns.getFirst();
        User ownerUser = new User(ids.newId(), tenant.id(), request.ownerEmail(), "Owner", UserKind.STAFF, null,
                User.Status.ACTIVE, Set.of(owner.id()), 0);
        return hasher.hash(request.ownerPassword())
                .flatMap(hash -> TenantContext.within(tenant.id(), unitOfWork.inTransaction(() -> tenants.create(tenant)
                        .thenMany(Flux.fromIterable(builtIns).concatMap(roles::create))
                        .then(users.create(ownerUser, hash))
                        .flatMap(created -> users.replaceRoles(tenant.id(), created.id(), created.roleIds()).thenReturn(created))
                        .map(created -> new Created(tenant, created)))));
    }
}
