package io.hostrail.identity.service;

import io.hostrail.identity.model.IdentityErrors;
import io.hostrail.identity.model.Permission;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.Role;
import io.hostrail.identity.port.out.Roles;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.ErrorKind;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.audit.service.AuditTrail;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A tenant's custom roles beside the built-in ones. Built-ins cannot change; nobody grants what they lack. */
public final class RoleAdministration {

    public record RoleDraft(String name, String description, Set<String> permissions) {
    }

    private final Roles roles;
    private final UnitOfWork unitOfWork;
    private final IdGenerator ids;
    private final AuditTrail audit;

    public RoleAdministration(Roles roles, UnitOfWork unitOfWork, IdGenerator ids, AuditTrail audit) {
        this.audit = audit;
        this.roles = roles;
        this.unitOfWork = unitOfWork;
        this.ids = ids;
    }

    public Flux<Role> list(Principal actor) {
        return unitOfWork.inTransactionMany(() -> roles.list(actor.tenant()));
    }

    public Mono<Role> get(Principal actor, UUID roleId) {
        return unitOfWork.inTransaction(() -> roles.findById(actor.tenant(), roleId))
                .switchIfEmpty(Mono.error(() -> notFound(roleId)));
    }

    public Mono<Role> create(Principal actor, RoleDraft draft) {
        return Mono.fromCallable(() -> new Role(ids.newId(), actor.tenant(), draft.name(), draft.description(),
                        permissions(draft), false, false, 0))
                .onErrorMap(IllegalArgumentException.class, RoleAdministration::invalid)
                .flatMap(role -> grantableBy(actor, role.permissions())
                        .then(unitOfWork.inTransaction(() -> roles.findByName(actor.tenant(), role.name())
                                .flatMap(existing -> Mono.<Role>error(new DomainException(IdentityErrors.ROLE_NAME_TAKEN,
                                        "A role named '" + role.name() + "' already exists.")))
                                .switchIfEmpty(Mono.defer(() -> roles.create(role)))
                                .flatMap(created -> audit.record(actor.tenant(), Actors.of(actor), "role.created", "role",
                                        created.id().toString(), Map.of(), Map.of("name", created.name(),
                                                "permissions", names(created.permissions())))
                                        .thenReturn(created)))));
    }

    public Mono<Role> update(Principal actor, UUID roleId, RoleDraft draft, long expectedVersion) {
        return unitOfWork.inTransaction(() -> roles.findById(actor.tenant(), roleId)
                .switchIfEmpty(Mono.error(() -> notFound(roleId)))
                .flatMap(current -> {
                    if (current.builtIn()) {
                        return Mono.error(builtIn(current));
                    }
                    Role changed;
                    try {
                        changed = new Role(current.id(), current.tenant(), current.name(),
                                draft.description() == null ? current.description() : draft.description(),
                                permissions(draft), false, current.requiresSecondFactor(), current.version());
                    } catch (IllegalArgumentException e) {
                        return Mono.error(invalid(e));
                    }
                    var touched = new java.util.TreeSet<>(current.permissions());
                    touched.addAll(changed.permissions());
                    return grantableBy(actor, touched)
                            .then(roles.update(changed, expectedVersion))
                            .switchIfEmpty(Mono.error(() -> new DomainException(IdentityErrors.STALE_VERSION,
                                    "The role was changed by someone else meanwhile; reload it and try again.")))
                            .flatMap(updated -> audit.record(actor.tenant(), Actors.of(actor), "role.updated", "role",
                                            updated.id().toString(), Map.of("permissions", names(current.permissions())),
                                            Map.of("permissions", names(updated.permissions())))
                                    .thenReturn(updated));
                }));
    }

    /** Demands (or stops demanding) a second factor of the role's holders; built-in roles included. */
    public Mono<Role> requireSecondFactor(Principal actor, UUID roleId, boolean required) {
        return unitOfWork.inTransaction(() -> roles.findById(actor.tenant(), roleId)
                .switchIfEmpty(Mono.error(() -> notFound(roleId)))
                .flatMap(role -> roles.setRequiresSecondFactor(actor.tenant(), roleId, required)
                        .flatMap(updated -> audit.record(actor.tenant(), Actors.of(actor), "role.second_factor_policy_changed",
                                        "role", roleId.toString(), Map.of("required", Boolean.toString(role.requiresSecondFactor())),
                                        Map.of("required", Boolean.toString(required)))
                                .thenReturn(updated))));
    }

    public Mono<Void> delete(Principal actor, UUID roleId) {
        return unitOfWork.inTransaction(() -> roles.findById(actor.tenant(), roleId)
                .switchIfEmpty(Mono.error(() -> notFound(roleId)))
                .flatMap(role -> role.builtIn()
                        ? Mono.error(builtIn(role))
                        : grantableBy(actor, role.permissions())
                                .then(roles.countHolders(actor.tenant(), roleId))
                                .flatMap(holders -> holders > 0
                                        ? Mono.error(new DomainException(IdentityErrors.ROLE_IN_USE,
                                                "The role is held by " + holders + " user(s); take it away from them first."))
                                        : roles.delete(actor.tenant(), roleId)
                                                .then(audit.record(actor.tenant(), Actors.of(actor), "role.deleted", "role",
                                                        roleId.toString(), Map.of("name", role.name(),
                                                                "permissions", names(role.permissions())), Map.of()))
                                                .then())));
    }

    private static String names(Set<Permission> permissions) {
        return permissions.stream().map(Permission::value).sorted().collect(java.util.stream.Collectors.joining(","));
    }

    private static Set<Permission> permissions(RoleDraft draft) {
        if (draft.permissions() == null) {
            throw new IllegalArgumentException("permissions are required");
        }
        return draft.permissions().stream().map(Permission::of).collect(java.util.stream.Collectors.toSet());
    }

    private static Mono<Void> grantableBy(Principal actor, Set<Permission> permissions) {
        return actor.permissions().containsAll(permissions)
                ? Mono.empty()
                : Mono.error(new DomainException(new ErrorCode("role.not_grantable", ErrorKind.FORBIDDEN),
                        "A role cannot carry permissions you do not hold yourself."));
    }

    private static DomainException invalid(IllegalArgumentException e) {
        return new DomainException(ErrorCode.validation("role.invalid"), "The role is not valid: " + e.getMessage() + ".",
                List.of(new FieldViolation(e.getMessage().contains("permission") ? "permissions" : "name", e.getMessage())));
    }

    private static DomainException builtIn(Role role) {
        return new DomainException(IdentityErrors.BUILT_IN_ROLE, "The built-in role '" + role.name() + "' cannot be changed.");
    }

    private static DomainException notFound(UUID roleId) {
        return new DomainException(IdentityErrors.ROLE_NOT_FOUND, "No role " + roleId + " exists.");
    }
}
