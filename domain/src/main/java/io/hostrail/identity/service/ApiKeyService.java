package io.hostrail.identity.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.model.ApiKey;
import io.hostrail.identity.model.IdentityErrors;
import io.hostrail.identity.model.IpRange;
import io.hostrail.identity.model.Permission;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.port.out.ApiKeys;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.ErrorKind;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.port.out.UnitOfWork;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * API keys: {@code hrk_<prefix>.<secret>}. The prefix is public (it names the key in listings and logs)
 * and routes to the tenant; the secret is 256 random bits shown once. A key can never do more than the
 * person who created it could.
 */
public final class ApiKeyService {

    public static final ErrorCode INVALID_API_KEY = new ErrorCode("auth.invalid_api_key", ErrorKind.UNAUTHENTICATED);
    public static final ErrorCode API_KEY_NOT_FOUND = ErrorCode.notFound("api_key.not_found");

    private static final Pattern FORMAT = Pattern.compile("hrk_([a-z2-7]{12})\\.([A-Za-z0-9_-]{43})");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    /** Writing last-used time on every request would be a write per read; once a minute per key is plenty. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    public record CreateApiKey(String name, Set<String> scopes, Instant expiresAt, List<String> allowedIps) {
    }

    /** The new key and its secret, which exists only in this response. */
    public record CreatedApiKey(ApiKey key, String secret) {

        @Override
        public String toString() {
            return "CreatedApiKey[" + key.prefix() + ", secret=****]";
        }
    }

    private final ApiKeys keys;
    private final UnitOfWork unitOfWork;
    private final IdGenerator ids;
    private final Clock clock;
    private final RandomGenerator random;
    private final AuditTrail audit;
    private final Map<UUID, Instant> lastTouched = new ConcurrentHashMap<>();

    private final io.hostrail.identity.port.out.Users users;
    private final io.hostrail.identity.port.out.Roles roles;

    public ApiKeyService(ApiKeys keys, UnitOfWork unitOfWork, IdGenerator ids, Clock clock, RandomGenerator random,
            AuditTrail audit, io.hostrail.identity.port.out.Users users, io.hostrail.identity.port.out.Roles roles) {
        this.users = users;
        this.roles = roles;
        this.keys = keys;
        this.unitOfWork = unitOfWork;
        this.ids = ids;
        this.clock = clock;
        this.random = random;
        this.audit = audit;
    }

    public Mono<CreatedApiKey> create(Principal actor, CreateApiKey command) {
        Instant now = clock.instant();
        ApiKey key;
        try {
            if (command.expiresAt() != null && !command.expiresAt().isAfter(now)) {
                throw new IllegalArgumentException("expiresAt must be in the future");
            }
            Set<Permission> scopes = (command.scopes() == null ? Set.<String>of() : command.scopes()).stream()
                    .map(Permission::of).collect(Collectors.toSet());
            List<IpRange> allowed = (command.allowedIps() == null ? List.<String>of() : command.allowedIps()).stream()
                    .map(IpRange::new).toList();
            key = new ApiKey(ids.newId(), actor.tenant(), command.name() == null ? "" : command.name().strip(), prefix(),
                    scopes, allowed, command.expiresAt(), actor.userId(), now, null, null);
        } catch (IllegalArgumentException e) {
            return Mono.error(new DomainException(ErrorCode.validation("api_key.invalid"), "The API key is not valid: "
                    + e.getMessage() + ".", List.of(new FieldViolation(field(e.getMessage()), e.getMessage()))));
        }
        if (!actor.permissions().containsAll(key.scopes())) {
            return Mono.error(new DomainException(new ErrorCode("api_key.scope_not_grantable", ErrorKind.FORBIDDEN),
                    "An API key cannot carry scopes you do not hold yourself."));
        }
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = "hrk_" + key.prefix() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        return unitOfWork.inTransaction(() -> keys.create(key, AuthenticationService.sha256(secret))
                .flatMap(created -> audit.record(actor.tenant(), Actors.of(actor), "api_key.created", "api_key",
                                created.id().toString(), Map.of(), Map.of("name", created.name(), "prefix", created.prefix(),
                                        "scopes", created.scopes().stream().map(Permission::value).collect(Collectors.joining(","))))
                        .thenReturn(new CreatedApiKey(created, secret))));
    }

    public Flux<ApiKey> list(Principal actor) {
        return unitOfWork.inTransactionMany(() -> keys.list(actor.tenant()));
    }

    public Mono<ApiKey> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> keys.findById(actor.tenant(), id))
                .switchIfEmpty(Mono.error(() -> new DomainException(API_KEY_NOT_FOUND, "No API key " + id + " exists.")));
    }

    public Mono<Void> revoke(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> keys.findById(actor.tenant(), id)
                .switchIfEmpty(Mono.error(() -> new DomainException(API_KEY_NOT_FOUND, "No API key " + id + " exists.")))
                .flatMap(key -> keys.revoke(actor.tenant(), id, clock.instant())
                        .filter(Boolean::booleanValue)
                        .flatMap(revoked -> audit.record(actor.tenant(), Actors.of(actor), "api_key.revoked", "api_key",
                                id.toString(), Map.of(), Map.of("prefix", key.prefix())))
                        .then()));
    }

    /** The principal a presented key stands for; the same error whatever is wrong with it. */
    public Mono<Principal> authenticate(String presented, String ip) {
        var match = presented == null ? null : FORMAT.matcher(presented.strip());
        if (match == null || !match.matches()) {
            return Mono.error(invalid());
        }
        String prefix = match.group(1);
        byte[] hash = AuthenticationService.sha256(presented.strip());
        Instant now = clock.instant();
        return keys.tenantOfPrefix(prefix)
                .flatMap(tenant -> TenantContext.within(tenant, unitOfWork.inTransaction(() -> keys.findByPrefix(tenant, prefix)
                        .filter(stored -> MessageDigest.isEqual(stored.secretHash(), hash))
                        .filter(stored -> stored.key().refusal(now, ip) == null)
                        .flatMap(stored -> creatorPermissions(stored.key())
                                .flatMap(held -> touch(stored.key(), now).thenReturn(principalOf(stored.key(), held)))))))
                .switchIfEmpty(Mono.error(ApiKeyService::invalid));
    }

    private Mono<Void> touch(ApiKey key, Instant now) {
        Instant previous = lastTouched.get(key.id());
        if (previous != null && previous.plus(TOUCH_EVERY).isAfter(now)) {
            return Mono.empty();
        }
        lastTouched.put(key.id(), now);
        return keys.touch(key.tenant(), key.id(), now);
    }

    /**
     * What the key's creator may do today: a key never outlives its creator's rights. A disabled or
     * removed creator leaves the key powerless (empty: refused); a demoted one narrows it.
     */
    private Mono<Set<Permission>> creatorPermissions(ApiKey key) {
        return users.findById(key.tenant(), key.createdBy())
                .filter(io.hostrail.identity.model.User::isActive)
                .flatMap(creator -> roles.findAll(key.tenant(), creator.roleIds())
                        .flatMapIterable(io.hostrail.identity.model.Role::permissions)
                        .collect(Collectors.toSet()));
    }

    private static Principal principalOf(ApiKey key, Set<Permission> creatorHolds) {
        Set<Permission> effective = key.scopes().stream().filter(creatorHolds::contains).collect(Collectors.toSet());
        return new Principal(key.tenant(), key.id(), "api-key:" + key.prefix(), UserKind.API_KEY, null, Set.of(),
                effective, null);
    }

    private String prefix() {
        char[] chars = new char[12];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = BASE32[random.nextInt(BASE32.length)];
        }
        return new String(chars);
    }

    private static String field(String message) {
        if (message.contains("scope") || message.contains("permission")) {
            return "scopes";
        }
        if (message.contains("IP") || message.contains("prefix length")) {
            return "allowedIps";
        }
        return message.contains("expires") ? "expiresAt" : "name";
    }

    private static DomainException invalid() {
        return new DomainException(INVALID_API_KEY, "The API key is not valid.");
    }

}
