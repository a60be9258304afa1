package io.hostrail.identity.service;

import io.hostrail.identity.model.BuiltInRole;
import io.hostrail.identity.model.IdentityErrors;
import io.hostrail.identity.model.PasswordPolicy;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.Role;
import io.hostrail.identity.model.User;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.port.out.PasswordHasher;
import io.hostrail.identity.port.out.Roles;
import io.hostrail.identity.port.out.Users;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.port.out.PasswordResetTokens;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Staff user management within the acting user's tenant. Nobody can hand out more than they hold: a
 * role may only be granted by someone who has every permission in it, the owner role only by an owner,
 * and the last active owner cannot be demoted or disabled.
 */
public final class UserAdministration {

    public record CreateStaffUser(String email, String displayName, String password, Set<UUID> roleIds) {

        public CreateStaffUser {
            roleIds = roleIds == null ? Set.of() : Set.copyOf(roleIds);
        }
    }

    private final Users users;
    private final Roles roles;
    private final PasswordHasher hasher;
    private final PasswordPolicy passwordPolicy;
    private final UnitOfWork unitOfWork;
    private final IdGenerator ids;
    private final AuditTrail audit;
    private final PasswordResetTokens resetTokens;
    private final io.hostrail.identity.port.out.RefreshTokens refreshTokens;
    private final java.time.Clock clock;
    private final java.util.random.RandomGenerator random;

    /** A token to hand to the user out of band, valid once and briefly. */
    public record PasswordReset(String token, java.time.Instant expiresAt) {

        @Override
        public String toString() {
            return "PasswordReset[token=****, expiresAt=" + expiresAt + "]";
        }
    }

    public UserAdministration(Users users, Roles roles, PasswordHasher hasher, PasswordPolicy passwordPolicy,
            UnitOfWork unitOfWork, IdGenerator ids, AuditTrail audit, PasswordResetTokens resetTokens,
            io.hostrail.identity.port.out.RefreshTokens refreshTokens, java.time.Clock clock,
            java.util.random.RandomGenerator random) {
        this.audit = audit;
        this.resetTokens = resetTokens;
        this.refreshTokens = refreshTokens;
        this.clock = clock;
        this.random = random;
        this.users = users;
        this.roles = roles;
        this.hasher = hasher;
        this.passwordPolicy = passwordPolicy;
        this.unitOfWork = unitOfWork;
        this.ids = ids;
    }

    public Flux<User> list(Principal actor, UUID afterId, int limit) {
        return unitOfWork.inTransactionMany(() -> users.list(actor.tenant(), afterId, limit));
    }

    public Mono<User> get(Principal actor, UUID userId) {
        return unitOfWork.inTransaction(() -> users.findById(actor.tenant(), userId))
                .switchIfEmpty(Mono.error(() -> notFound(userId)));
    }

    public Mono<User> createStaffUser(Principal actor, CreateStaffUser command) {
        return create(actor, command, UserKind.STAFF, null, grantable(actor, command.roleIds()));
    }

    /** A login for one of the tenant's customers; the customer must exist in the tenant (the database checks). */
    public Mono<User> createClientUser(Principal actor, UUID customerId, CreateStaffUser command) {
        if (!actor.permissions().containsAll(io.hostrail.identity.model.Permissions.CLIENT_PORTAL)) {
            return Mono.error(new DomainException(new io.hostrail.shared.error.ErrorCode("user.client_portal_not_grantable",
                    io.hostrail.shared.error.ErrorKind.FORBIDDEN),
                    "A client login carries the client-portal permissions; you must hold them all yourself."));
        }
        return create(actor, new CreateStaffUser(command.email(), command.displayName(), command.password(), Set.of()),
                UserKind.CLIENT, customerId, Mono.empty());
    }

    /** The one way a user comes into being: valid email, acceptable password, unique in the tenant, audited. */
    private Mono<User> create(Principal actor, CreateStaffUser command, UserKind kind, UUID customerId, Mono<Void> allowed) {
        final String email;
        try {
            email = User.normalizeEmail(command.email());
        } catch (IllegalArgumentException e) {
            return Mono.error(new DomainException(io.hostrail.shared.error.ErrorCode.validation("user.invalid_email"),
                    "The email address is not valid.", List.of(new FieldViolation("email", "must be an email address"))));
        }
        var weak = passwordPolicy.violation(command.password(), email);
        if (weak.isPresent()) {
            return Mono.error(new DomainException(IdentityErrors.WEAK_PASSWORD, "The password is not acceptable.",
                    List.of(new FieldViolation("password", weak.get()))));
        }
        User user = new User(ids.newId(), actor.tenant(), email, command.displayName(), kind, customerId,
                User.Status.ACTIVE, command.roleIds(), 0);
        Map<String, String> audited = customerId == null
                ? Map.of("email", email, "roleIds", ids(user.roleIds()))
                : Map.of("email", email, "customerId", customerId.toString());
        Mono<User> emailTaken = Mono.error(() -> new DomainException(IdentityErrors.EMAIL_TAKEN,
                "A user with this email already exists."));
        // Hash first, outside the transaction: it is slow on purpose.
        return hasher.hash(command.password())
                .flatMap(hash -> unitOfWork.inTransaction(() -> allowed
                        .then(users.findByEmail(actor.tenant(), email).hasElement())
                        .flatMap(taken -> taken ? emailTaken : users.create(user, hash)
                                .flatMap(created -> users.replaceRoles(actor.tenant(), created.id(), created.roleIds())
                                        .then(audit.record(actor.tenant(), Actors.of(actor), "user.created", "user",
                                                created.id().toString(), Map.of(), audited))
                                        .thenReturn(created)))));
    }

    public Mono<User> changeRoles(Principal actor, UUID userId, Set<UUID> roleIds, long expectedVersion) {
        return unitOfWork.inTransaction(() -> users.findById(actor.tenant(), userId)
                .switchIfEmpty(Mono.error(() -> notFound(userId)))
                .flatMap(user -> rejectClient(user)
                        .then(grantable(actor, union(roleIds, user.roleIds())))
                        .then(keepsAnOwner(user, roleIds, user.status()))
                        .then(users.update(new User(user.id(), user.tenant(), user.email(), user.displayName(), user.kind(),
                                        user.customerId(), user.status(), roleIds, user.version()), expectedVersion)
                                .switchIfEmpty(Mono.error(() -> stale()))
                                .flatMap(updated -> users.replaceRoles(actor.tenant(), userId, roleIds)
                                        .then(audit.record(actor.tenant(), Actors.of(actor), "user.roles_changed", "user",
                                                userId.toString(), Map.of("roleIds", ids(user.roleIds())),
                                                Map.of("roleIds", ids(roleIds))))
                                        .thenReturn(updated)))));
    }

    public Mono<User> setStatus(Principal actor, UUID userId, User.Status status, long expectedVersion) {
        return unitOfWork.inTransaction(() -> users.findById(actor.tenant(), userId)
                .switchIfEmpty(Mono.error(() -> notFound(userId)))
                .flatMap(user -> grantable(actor, user.roleIds())
                        .then(keepsAnOwner(user, user.roleIds(), status))
                        .then(users.update(new User(user.id(), user.tenant(), user.email(), user.displayName(), user.kind(),
                                        user.customerId(), status, user.roleIds(), user.version()), expectedVersion)
                                .switchIfEmpty(Mono.error(() -> stale())))
                        .flatMap(updated -> audit.record(actor.tenant(), Actors.of(actor), "user.status_changed", "user",
                                        userId.toString(), Map.of("status", statusName(user.status())),
                                        Map.of("status", statusName(status)))
                                .thenReturn(updated))));
    }

    private static String statusName(User.Status status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Sorted, so the same set always audits the same way. */
    private static String ids(Set<UUID> ids) {
        return ids.stream().map(UUID::toString).sorted().collect(java.util.stream.Collectors.joining(","));
    }

    /**
     * Issues a password reset token for a user the actor may manage (nobody resets the password of
     * someone holding more than they do: that would be taking the account over).
     */
    public Mono<PasswordReset> issuePasswordReset(Principal actor, UUID userId) {
        java.time.Instant now = clock.instant();
        java.time.Instant expiresAt = now.plus(java.time.Duration.ofHours(1));
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = actor.tenant().value() + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return unitOfWork.inTransaction(() -> users.findById(actor.tenant(), userId)
                .switchIfEmpty(Mono.error(() -> notFound(userId)))
                .flatMap(user -> grantable(actor, user.roleIds())
                        .then(resetTokens.store(actor.tenant(), ids.newId(), userId, AuthenticationService.sha256(token),
                                actor.userId(), now, expiresAt))
                        .then(audit.record(actor.tenant(), Actors.of(actor), "user.password_reset_issued", "user",
                                userId.toString(), Map.of(), Map.of("expiresAt", expiresAt.toString())))
                        .thenReturn(new PasswordReset(token, expiresAt))));
    }

    /** Sets a new password with a reset token, once; every session of the user ends. */
    public Mono<Void> completePasswordReset(String token, String newPassword) {
        DomainException invalid = new DomainException(IdentityErrors.INVALID_RESET_TOKEN,
                "The reset token is not valid, has expired or was already used.");
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot != 36 || token.length() > 200) {
            return Mono.error(invalid);
        }
        io.hostrail.shared.model.TenantId tenant;
        try {
            tenant = new io.hostrail.shared.model.TenantId(UUID.fromString(token.substring(0, dot)));
        } catch (IllegalArgumentException e) {
            return Mono.error(invalid);
        }
        java.time.Instant now = clock.instant();
        return io.hostrail.shared.model.TenantContext.within(tenant, unitOfWork.inTransaction(() -> resetTokens
                        .findByHash(tenant, AuthenticationService.sha256(token))
                        .filter(stored -> stored.usedAt() == null && stored.expiresAt().isAfter(now))
                        .flatMap(stored -> users.findById(tenant, stored.userId()).map(user -> java.util.Map.entry(stored, user))))
                .switchIfEmpty(Mono.error(invalid))
                .flatMap(found -> {
                    var weak = passwordPolicy.violation(newPassword, found.getValue().email());
                    if (weak.isPresent()) {
                        return Mono.error(new DomainException(IdentityErrors.WEAK_PASSWORD, "The new password is not acceptable.",
                                List.of(new FieldViolation("newPassword", weak.get()))));
                    }
                    return hasher.hash(newPassword).flatMap(hash -> unitOfWork.inTransaction(() -> resetTokens
                            .use(tenant, found.getKey().id(), now)
                            .flatMap(used -> used
                                    ? users.changePasswordHash(tenant, found.getValue().id(), hash)
                                            .then(refreshTokens.revokeAllOf(tenant, found.getValue().id(), now))
                                            .then(audit.record(tenant, Actors.of(found.getValue()),
                                                    "user.password_reset_completed", "user",
                                                    found.getValue().id().toString(), Map.of(), Map.of()))
                                            .then()
                                    : Mono.error(invalid))));
                }));
    }

    private Mono<Void> rejectClient(User user) {
        return user.kind() == UserKind.CLIENT
                ? Mono.error(new DomainException(io.hostrail.shared.error.ErrorCode.rejected("user.client_has_no_roles"),
                        "Client users hold no staff roles."))
                : Mono.empty();
    }

    /** Every role exists in the tenant, and the actor holds all of its permissions (owner: only owners). */
    private Mono<Void> grantable(Principal actor, Set<UUID> roleIds) {
        if (roleIds.isEmpty()) {
            return Mono.empty();
        }
        return roles.findAll(actor.tenant(), roleIds).collectList().flatMap(found -> {
            if (found.size() != roleIds.size()) {
                return Mono.error(new DomainException(io.hostrail.shared.error.ErrorCode.validation("user.unknown_role"),
                        "Some roles do not exist.", List.of(new FieldViolation("roleIds", "contains an unknown role"))));
            }
            for (Role role : found) {
                boolean ownerRole = role.builtIn() && role.name().equals(BuiltInRole.OWNER.roleName());
                if (!actor.permissions().containsAll(role.permissions()) || ownerRole && !isOwner(actor)) {
                    return Mono.error(new DomainException(new io.hostrail.shared.error.ErrorCode("role.not_grantable",
                            io.hostrail.shared.error.ErrorKind.FORBIDDEN),
                            "You cannot grant or take away the role '" + role.name() + "': it carries more than you hold."));
                }
            }
            return Mono.<Void>empty();
        });
    }

    private static boolean isOwner(Principal actor) {
        return actor.hasRole(BuiltInRole.OWNER.roleName());
    }

    /** Refuses a change that would leave the tenant without an active owner. */
    private Mono<Void> keepsAnOwner(User user, Set<UUID> newRoleIds, User.Status newStatus) {
        return roles.findByName(user.tenant(), BuiltInRole.OWNER.roleName()).flatMap(owner -> {
            boolean isOwnerNow = user.roleIds().contains(owner.id()) && user.isActive();
            boolean staysOwner = newRoleIds.contains(owner.id()) && newStatus == User.Status.ACTIVE;
            if (!isOwnerNow || staysOwner) {
                return Mono.<Void>empty();
            }
            return roles.countHolders(user.tenant(), owner.id()).flatMap(holders -> holders <= 1
                    ? Mono.<Void>error(new DomainException(IdentityErrors.LAST_OWNER,
                            "This is the last active owner; make someone else owner first."))
                    : Mono.<Void>empty());
        });
    }

    private static Set<UUID> union(Set<UUID> a, Set<UUID> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static DomainException notFound(UUID userId) {
        return new DomainException(IdentityErrors.USER_NOT_FOUND, "No user " + userId + " exists.");
    }

    private static DomainException stale() {
        return new DomainException(IdentityErrors.STALE_VERSION,
                "The user was changed by someone else meanwhile; reload it and try again.");
    }
}
