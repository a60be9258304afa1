package io.hostrail.identity.service;

import io.hostrail.identity.model.IdentityErrors;
import io.hostrail.identity.model.Permission;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.Role;
import io.hostrail.identity.model.Tenant;
import io.hostrail.identity.model.User;
import io.hostrail.identity.port.out.AccessTokens;
import io.hostrail.identity.port.out.PasswordHasher;
import io.hostrail.identity.port.out.RefreshTokens;
import io.hostrail.identity.port.out.RefreshTokens.StoredRefreshToken;
import io.hostrail.identity.port.out.Roles;
import io.hostrail.identity.port.out.Tenants;
import io.hostrail.identity.port.out.Users;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.model.AccountLockedOut;
import io.hostrail.identity.model.LoginThrottlePolicy;
import io.hostrail.identity.model.PasswordPolicy;
import io.hostrail.identity.port.out.LoginThrottle;
import io.hostrail.shared.error.ThrottledException;
import io.hostrail.shared.model.RequestMetadata;
import io.hostrail.shared.port.out.DomainEvents;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.random.RandomGenerator;
import reactor.core.publisher.Mono;

/**
 * Logs users in and keeps them logged in. Access tokens are short-lived and self-contained; refresh
 * tokens are long-lived, single use and rotate on every refresh. All refresh tokens descending from
 * one login form a family: presenting one that was already used means it was stolen or replayed, and
 * the whole family is revoked.
 */
public final class AuthenticationService {

    /** Login input; the tenant slug says which hosting provider's users to look in. */
    public record LoginCommand(String tenantSlug, String email, String password, String totpCode, String recoveryCode) {

        public LoginCommand(String tenantSlug, String email, String password) {
            this(tenantSlug, email, password, null, null);
        }


        public LoginCommand {
            Objects.requireNonNull(tenantSlug, "tenant");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(password, "password");
        }
    }

    /**
     * @param secondFactorEnrolmentRequired a role demands a second factor the user has not enabled: the
     *     tokens carry no permissions until they enrol and sign in again
     */
    public record TokenPair(String accessToken, Instant accessTokenExpiresAt, String refreshToken,
            Instant refreshTokenExpiresAt, Principal principal, boolean secondFactorEnrolmentRequired) {

        @Override
        public String toString() {
            return "TokenPair[user=" + principal.userId() + ", tokens=****]";
        }
    }

    private final Tenants tenants;
    private final Users users;
    private final Roles roles;
    private final RefreshTokens refreshTokens;
    private final PasswordHasher hasher;
    private final AccessTokens accessTokens;
    private final UnitOfWork unitOfWork;
    private final IdGenerator ids;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration refreshTokenLifetime;
    private final AuditTrail audit;
    private final PasswordPolicy passwordPolicy;
    private final SecondFactorService secondFactors;
    private final LoginThrottle throttle;
    private final LoginThrottlePolicy throttlePolicy;
    private final DomainEvents events;

    public AuthenticationService(Tenants tenants, Users users, Roles roles, RefreshTokens refreshTokens,
            PasswordHasher hasher, AccessTokens accessTokens, UnitOfWork unitOfWork, IdGenerator ids, Clock clock,
            RandomGenerator random, Duration refreshTokenLifetime, AuditTrail audit, PasswordPolicy passwordPolicy,
            SecondFactorService secondFactors, LoginThrottle throttle, LoginThrottlePolicy throttlePolicy,
            DomainEvents events) {
        this.secondFactors = secondFactors;
        this.throttle = throttle;
        this.throttlePolicy = throttlePolicy;
        this.events = events;
        this.audit = audit;
        this.passwordPolicy = passwordPolicy;
        this.tenants = tenants;
        this.users = users;
        this.roles = roles;
        this.refreshTokens = refreshTokens;
        this.hasher = hasher;
        this.accessTokens = accessTokens;
        this.unitOfWork = unitOfWork;
        this.ids = ids;
        this.clock = clock;
        this.random = random;
        this.refreshTokenLifetime = refreshTokenLifetime;
    }

    /**
     * The same error for an unknown tenant, unknown email, wrong password or disabled user. The password
     * is checked outside any transaction: hashing is slow on purpose and must not hold a connection.
     */
    public Mono<TokenPair> login(LoginCommand command) {
        return Mono.deferContextual(context -> {
            String ip = RequestMetadata.find(context).map(RequestMetadata::ip).orElse(null);
            String slug = command.tenantSlug().strip().toLowerCase(java.util.Locale.ROOT);
            String account = "account:" + slug + ":" + command.email().strip().toLowerCase(java.util.Locale.ROOT);
            String address = ip == null ? null : "ip:" + ip;
            Instant now = clock.instant();
            return Mono.zip(throttle.state(account).defaultIfEmpty(LoginThrottlePolicy.State.CLEAN),
                            address == null ? Mono.just(LoginThrottlePolicy.State.CLEAN)
                                    : throttle.state(address).defaultIfEmpty(LoginThrottlePolicy.State.CLEAN))
                    .flatMap(states -> {
                        Instant lockedUntil = latest(states.getT1().lockedAt(now) ? states.getT1().lockedUntil() : null,
                                states.getT2().lockedAt(now) ? states.getT2().lockedUntil() : null);
                        if (lockedUntil != null) {
                            return Mono.error(new ThrottledException(IdentityErrors.LOCKED,
                                    "Too many failed sign-ins; try again later.", Duration.between(now, lockedUntil)));
                        }
                        // Held back without blocking a thread: the delay grows with each failure.
                        return Mono.delay(throttlePolicy.delayFor(states.getT1(), now))
                                .then(attempt(command))
                                .flatMap(pair -> throttle.clear(account).thenReturn(pair))
                                .onErrorResume(DomainException.class, refusal -> isCredentialFailure(refusal)
                                        ? recordFailure(slug, command.email(), account, address, now).then(Mono.error(refusal))
                                        : Mono.error(refusal));
                    });
        });
    }

    private static boolean isCredentialFailure(DomainException refusal) {
        return refusal.code().equals(IdentityErrors.INVALID_CREDENTIALS)
                || refusal.code().equals(IdentityErrors.SECOND_FACTOR_INVALID);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /** Counts the failure against the account and the address; a new account lockout is audited and announced. */
    private Mono<Void> recordFailure(String slug, String email, String account, String address, Instant now) {
        Mono<LoginThrottlePolicy.State> accountState = unitOfWork.inTransaction(() -> throttle.update(account,
                state -> throttlePolicy.afterFailure(state, now, throttlePolicy.accountLockAfter())));
        Mono<LoginThrottlePolicy.State> addressState = address == null ? Mono.empty()
                : unitOfWork.inTransaction(() -> throttle.update(address,
                        state -> throttlePolicy.afterFailure(state, now, throttlePolicy.ipLockAfter())));
        return accountState
                .filter(state -> state.failures() == throttlePolicy.accountLockAfter())
                .flatMap(locked -> tenants.findBySlug(slug).flatMap(tenant -> TenantContext.within(tenant.id(),
                        unitOfWork.inTransaction(() -> events.record(tenant.id(), new AccountLockedOut(tenant.id().value(),
                                        email.strip().toLowerCase(java.util.Locale.ROOT), locked.failures(), locked.lockedUntil()))
                                .then(audit.record(tenant.id(), Actor.system("login-throttle"), "auth.locked_out", "user",
                                        email.strip().toLowerCase(java.util.Locale.ROOT), Map.of(),
                                        Map.of("lockedUntil", locked.lockedUntil().toString())))))))
                .then(addressState.then());
    }

    private Mono<TokenPair> attempt(LoginCommand command) {
        Mono<TokenPair> refused = Mono.error(AuthenticationService::invalidCredentials);
        // Unknown tenant or email: spend the same hashing time, so timing does not reveal who has an account.
        Mono<TokenPair> decoyThenRefused = hasher.matches(command.password(), hasher.decoyHash()).then(refused);
        return tenants.findBySlug(command.tenantSlug().strip().toLowerCase(java.util.Locale.ROOT))
                .filter(tenant -> tenant.status() == Tenant.Status.ACTIVE)
                .flatMap(tenant -> TenantContext.within(tenant.id(), unitOfWork.inTransaction(() -> findByEmail(tenant.id(), command.email())
                                .flatMap(user -> users.passwordHash(tenant.id(), user.id()).map(hash -> new Candidate(user, hash))))
                        .flatMap(candidate -> hasher.matches(command.password(), candidate.passwordHash())
                                .filter(matches -> matches && candidate.user().isActive())
                                .flatMap(matches -> secondFactor(tenant.id(), candidate.user(), command))
                                .flatMap(passed -> unitOfWork.inTransaction(() -> principalOf(candidate.user(), ids.newId())
                                        .flatMap(this::issue)
                                        .flatMap(pair -> audit.record(tenant.id(), Actors.of(candidate.user()),
                                                "auth.login_succeeded", "user", candidate.user().id().toString(),
                                                Map.of(), Map.of("session", pair.principal().sessionId().toString()))
                                                .thenReturn(pair))))
                                .switchIfEmpty(unitOfWork.inTransaction(() -> audit.record(tenant.id(),
                                                Actor.system("anonymous"), "auth.login_failed", "user",
                                                candidate.user().id().toString(), Map.of(), Map.of()))
                                        .then(refused)))
                        .switchIfEmpty(decoyThenRefused)))
                .switchIfEmpty(decoyThenRefused);
    }

    private record Candidate(User user, String passwordHash) {
    }

    /** Completes when sign-in may go on; a missing or wrong second factor ends it here. */
    private Mono<Boolean> secondFactor(TenantId tenant, User user, LoginCommand command) {
        return secondFactors.check(user, command.totpCode(), command.recoveryCode()).flatMap(check -> switch (check) {
            case NOT_NEEDED, PASSED, ENROLMENT_REQUIRED -> Mono.just(Boolean.TRUE);
            case REQUIRED -> Mono.error(new DomainException(IdentityErrors.SECOND_FACTOR_REQUIRED,
                    "This account has a second factor: sign in again with totpCode (or recoveryCode)."));
            case FAILED -> unitOfWork.inTransaction(() -> audit.record(tenant, Actor.system("anonymous"),
                            "auth.second_factor_failed", "user", user.id().toString(), Map.of(), Map.of()))
                    .then(Mono.error(new DomainException(IdentityErrors.SECOND_FACTOR_INVALID,
                            "The second-factor code is not right.")));
        });
    }

    private Mono<User> findByEmail(TenantId tenant, String email) {
        try {
            return users.findByEmail(tenant, User.normalizeEmail(email));
        } catch (IllegalArgumentException notAnEmail) {
            return Mono.empty();
        }
    }

    /** Rotates: the presented token is used up, a new pair is issued in the same family. */
    public Mono<TokenPair> refresh(String presentedToken) {
        ParsedRefreshToken parsed = ParsedRefreshToken.parse(presentedToken);
        if (parsed == null) {
            return Mono.error(new DomainException(IdentityErrors.INVALID_REFRESH_TOKEN, "The refresh token is not valid."));
        }
        Instant now = clock.instant();
        Mono<TokenPair> rotation = unitOfWork.inTransaction(() -> refreshTokens.findByHash(parsed.tenant(), parsed.hash())
                .switchIfEmpty(Mono.error(() -> new DomainException(IdentityErrors.INVALID_REFRESH_TOKEN,
                        "The refresh token is not valid.")))
                .flatMap(stored -> {
                    if (stored.revokedAt() != null || !stored.expiresAt().isAfter(now)) {
                        return Mono.error(new DomainException(IdentityErrors.INVALID_REFRESH_TOKEN,
                                "The refresh token has expired or was revoked."));
                    }
                    if (stored.usedAt() != null) {
                        return Mono.error(new ReuseDetected(stored));
                    }
                    return refreshTokens.markUsed(parsed.tenant(), stored.id(), now)
                            .flatMap(marked -> marked
                                    ? users.findById(parsed.tenant(), stored.userId())
                                            .filter(User::isActive)
                                            .switchIfEmpty(Mono.error(() -> new DomainException(
                                                    IdentityErrors.INVALID_REFRESH_TOKEN, "The user can no longer sign in.")))
                                            .flatMap(user -> principalOf(user, stored.familyId()))
                                            .flatMap(this::issue)
                                    : Mono.error(new ReuseDetected(stored)));
                }));
        return TenantContext.within(parsed.tenant(), rotation.onErrorResume(ReuseDetected.class, reuse ->
                // Revoked in a transaction of its own: the refusal must not roll the revocation back.
                unitOfWork.inTransaction(() -> refreshTokens.revokeFamily(parsed.tenant(), reuse.token.familyId(), now)
                        .then(audit.record(parsed.tenant(), Actor.system("refresh-token-guard"),
                                "auth.refresh_token_reused", "user", reuse.token.userId().toString(), Map.of(),
                                Map.of("revokedSession", reuse.token.familyId().toString()))))
                        .then(Mono.error(new DomainException(IdentityErrors.REFRESH_TOKEN_REUSED,
                                "This refresh token was already used; every session descending from it is now revoked.")))));
    }

    /** Ends the session the refresh token belongs to. Unknown or already revoked tokens are ignored. */
    public Mono<Void> logout(String presentedToken) {
        ParsedRefreshToken parsed = ParsedRefreshToken.parse(presentedToken);
        if (parsed == null) {
            return Mono.empty();
        }
        return TenantContext.within(parsed.tenant(), unitOfWork.inTransaction(() -> refreshTokens.findByHash(parsed.tenant(), parsed.hash())
                .flatMap(stored -> refreshTokens.revokeFamily(parsed.tenant(), stored.familyId(), clock.instant())
                        .then(audit.record(parsed.tenant(), Actor.system("logout"), "auth.logged_out", "user",
                                stored.userId().toString(), Map.of(), Map.of("session", stored.familyId().toString())))
                        .then())));
    }

    /**
     * Changes the caller's own password after checking the current one, and signs the user out of every
     * session: whoever may have known the old password loses their refresh tokens too.
     */
    public Mono<Void> changePassword(Principal principal, String currentPassword, String newPassword) {
        if (principal.kind() == io.hostrail.identity.model.UserKind.API_KEY) {
            return Mono.error(new DomainException(IdentityErrors.PEOPLE_ONLY, "This is for a signed-in person, not an API key."));
        }
        var weak = passwordPolicy.violation(newPassword, principal.email());
        if (weak.isPresent()) {
            return Mono.error(new DomainException(IdentityErrors.WEAK_PASSWORD, "The new password is not acceptable.",
                    java.util.List.of(new DomainException.FieldViolation("newPassword", weak.get()))));
        }
        return unitOfWork.inTransaction(() -> users.passwordHash(principal.tenant(), principal.userId()))
                .flatMap(hash -> hasher.matches(currentPassword, hash))
                .filter(Boolean::booleanValue)
                .switchIfEmpty(Mono.error(() -> new DomainException(IdentityErrors.WRONG_CURRENT_PASSWORD,
                        "The current password is not right.")))
                .flatMap(matches -> hasher.hash(newPassword))
                .flatMap(newHash -> unitOfWork.inTransaction(() -> users.changePasswordHash(principal.tenant(),
                                principal.userId(), newHash)
                        .then(refreshTokens.revokeAllOf(principal.tenant(), principal.userId(), clock.instant()))
                        .then(audit.record(principal.tenant(), Actors.of(principal), "user.password_changed", "user",
                                principal.userId().toString(), Map.of(), Map.of()))))
                .then();
    }

    /** The principal as it stands now: permissions come from the user's current roles. */
    public Mono<Principal> principalOf(User user, UUID sessionId) {
        return secondFactors.enrolmentOutstanding(user).flatMap(outstanding -> outstanding
                ? Mono.just(new Principal(user.tenant(), user.id(), user.email(), user.kind(), user.customerId(),
                        Set.of(), Set.of(), sessionId))
                : fullPrincipalOf(user, sessionId));
    }

    private Mono<Principal> fullPrincipalOf(User user, UUID sessionId) {
        if (user.kind() == io.hostrail.identity.model.UserKind.CLIENT) {
            return Mono.just(new Principal(user.tenant(), user.id(), user.email(), user.kind(), user.customerId(), Set.of(),
                    io.hostrail.identity.model.Permissions.CLIENT_PORTAL, sessionId));
        }
        return roles.findAll(user.tenant(), user.roleIds()).collectList()
                .map(held -> {
                    Set<String> names = new TreeSet<>();
                    Set<Permission> permissions = new TreeSet<>();
                    held.forEach(role -> {
                        names.add(role.name());
                        permissions.addAll(role.permissions());
                    });
                    return new Principal(user.tenant(), user.id(), user.email(), user.kind(), user.customerId(),
                            names, permissions, sessionId);
                });
    }

    private Mono<TokenPair> issue(Principal principal) {
        Instant now = clock.instant();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String refreshToken = principal.tenant().value() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant refreshExpiresAt = now.plus(refreshTokenLifetime);
        StoredRefreshToken stored = new StoredRefreshToken(ids.newId(), principal.tenant(), principal.userId(),
                principal.sessionId(), sha256(refreshToken), now, refreshExpiresAt, null, null);
        boolean restricted = principal.roles().isEmpty() && principal.permissions().isEmpty()
                && principal.kind() == io.hostrail.identity.model.UserKind.STAFF;
        return refreshTokens.store(stored)
                .then(accessTokens.issue(principal, now))
                .flatMap(access -> (restricted ? secondFactors.enrolmentOutstanding(users, principal) : Mono.just(false))
                        .map(outstanding -> new TokenPair(access.token(), access.expiresAt(), refreshToken, refreshExpiresAt,
                                principal, outstanding)));
    }

    private static DomainException invalidCredentials() {
        return new DomainException(IdentityErrors.INVALID_CREDENTIALS, "The tenant, email or password is not right.");
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** {@code <tenant uuid>.<43 chars of base64url>}: the tenant is needed before the token can be looked up. */
    private record ParsedRefreshToken(TenantId tenant, byte[] hash) {

        static ParsedRefreshToken parse(String token) {
            if (token == null || token.length() > 200) {
                return null;
            }
            int dot = token.indexOf('.');
            if (dot != 36 || token.length() - dot - 1 != 43) {
                return null;
            }
            try {
                return new ParsedRefreshToken(new TenantId(UUID.fromString(token.substring(0, dot))), sha256(token));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    private static final class ReuseDetected extends RuntimeException {

        private final StoredRefreshToken token;

        ReuseDetected(StoredRefreshToken token) {
            super("refresh token reused", null, false, false);
            this.token = token;
        }
    }
}
