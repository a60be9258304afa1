package io.hostrail.identity.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.model.OtpAuthUri;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.RecoveryCodes;
import io.hostrail.identity.model.Role;
import io.hostrail.identity.model.Totp;
import io.hostrail.identity.model.TotpSecret;
import io.hostrail.identity.model.User;
import io.hostrail.identity.port.out.PasswordHasher;
import io.hostrail.identity.port.out.Roles;
import io.hostrail.identity.port.out.SecondFactors;
import io.hostrail.identity.port.out.SecondFactors.StoredTotp;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.shared.secret.SecretBox;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The TOTP second factor (RFC 6238): enrolment with an otpauth URI, confirmation with a first code,
 * recovery codes for a lost device, and the check made at sign-in. A role can require it of its holders.
 */
public final class SecondFactorService {

    public static final ErrorCode ALREADY_ENABLED = ErrorCode.conflict("second_factor.already_enabled");
    public static final ErrorCode NOT_PENDING = ErrorCode.conflict("second_factor.not_pending");
    public static final ErrorCode NOT_ENABLED = ErrorCode.conflict("second_factor.not_enabled");
    public static final ErrorCode WRONG_CODE = ErrorCode.rejected("second_factor.wrong_code");

    /** What enrolment hands the user once: for an authenticator app, as a QR code or typed in. */
    public record Enrolment(String otpauthUri, String secret) {

        @Override
        public String toString() {
            return "Enrolment[****]";
        }
    }

    /** What sign-in must do about the second factor. */
    public enum Check { NOT_NEEDED, PASSED, REQUIRED, FAILED, ENROLMENT_REQUIRED }

    private final SecondFactors store;
    private final Roles roles;
    private final SecretBox secretBox;
    private final PasswordHasher hasher;
    private final UnitOfWork unitOfWork;
    private final Clock clock;
    private final RandomGenerator random;
    private final AuditTrail audit;
    private final String issuer;
    private final Totp totp = new Totp();

    public SecondFactorService(SecondFactors store, Roles roles, SecretBox secretBox, PasswordHasher hasher,
            UnitOfWork unitOfWork, Clock clock, RandomGenerator random, AuditTrail audit, String issuer) {
        this.store = store;
        this.roles = roles;
        this.secretBox = secretBox;
        this.hasher = hasher;
        this.unitOfWork = unitOfWork;
        this.clock = clock;
        this.random = random;
        this.audit = audit;
        this.issuer = issuer;
    }

    public Mono<Enrolment> enrol(Principal principal) {
        principal.requirePerson();
        TotpSecret secret = TotpSecret.generate(random);
        return unitOfWork.inTransaction(() -> store.find(principal.tenant(), principal.userId())
                .filter(existing -> existing.confirmedAt() != null)
                .flatMap(confirmed -> Mono.<Enrolment>error(new DomainException(ALREADY_ENABLED,
                        "A second factor is already enabled; disable it first to enrol a new device.")))
                .switchIfEmpty(Mono.defer(() -> store.savePending(principal.tenant(), principal.userId(),
                                secretBox.seal(secret.base32(), context(principal.tenant(), principal.userId())), clock.instant())
                        .thenReturn(new Enrolment(OtpAuthUri.of(issuer, principal.email(), secret, totp), secret.base32())))));
    }

    /** Confirms enrolment with a first code; returns the recovery codes, shown this once. */
    public Mono<List<String>> confirm(Principal principal, String code) {
        principal.requirePerson();
        List<String> recoveryCodes = RecoveryCodes.generate(random);
        return unitOfWork.inTransaction(() -> store.find(principal.tenant(), principal.userId()))
                .filter(stored -> stored.confirmedAt() == null)
                .switchIfEmpty(Mono.error(() -> new DomainException(NOT_PENDING, "There is no enrolment to confirm.")))
                .flatMap(stored -> Mono.justOrEmpty(totp.verify(secretOf(principal.tenant(), stored), code, clock.instant(),
                                Totp.NO_STEP_USED_YET))
                        .switchIfEmpty(Mono.error(() -> new DomainException(WRONG_CODE, "The code is not right."))))
                .flatMap(step -> Flux.fromIterable(recoveryCodes).map(RecoveryCodes::normalize).concatMap(hasher::hash).collectList()
                        .flatMap(hashes -> unitOfWork.inTransaction(() -> store.confirm(principal.tenant(), principal.userId(),
                                        clock.instant(), step)
                                .then(store.replaceRecoveryCodes(principal.tenant(), principal.userId(), hashes))
                                .then(audit.record(principal.tenant(), Actors.of(principal), "user.second_factor_enabled",
                                        "user", principal.userId().toString(), Map.of(), Map.of())))))
                .thenReturn(recoveryCodes);
    }

    /** Turns the second factor off; proving possession (a code or a recovery code) is required. */
    public Mono<Void> disable(Principal principal, String code, String recoveryCode) {
        principal.requirePerson();
        return unitOfWork.inTransaction(() -> store.find(principal.tenant(), principal.userId()))
                .filter(stored -> stored.confirmedAt() != null)
                .switchIfEmpty(Mono.error(() -> new DomainException(NOT_ENABLED, "No second factor is enabled.")))
                .flatMap(stored -> prove(principal.tenant(), principal.userId(), stored, code, recoveryCode))
                .filter(Boolean::booleanValue)
                .switchIfEmpty(Mono.error(() -> new DomainException(WRONG_CODE, "The code is not right.")))
                .flatMap(proved -> unitOfWork.inTransaction(() -> store.delete(principal.tenant(), principal.userId())
                        .then(store.replaceRecoveryCodes(principal.tenant(), principal.userId(), List.of()))
                        .then(audit.record(principal.tenant(), Actors.of(principal), "user.second_factor_disabled", "user",
                                principal.userId().toString(), Map.of(), Map.of()))))
                .then();
    }

    /** The check at sign-in, after the password was right. */
    public Mono<Check> check(User user, String code, String recoveryCode) {
        return unitOfWork.inTransaction(() -> store.find(user.tenant(), user.id()))
                .filter(stored -> stored.confirmedAt() != null)
                .flatMap(stored -> (code == null || code.isBlank()) && (recoveryCode == null || recoveryCode.isBlank())
                        ? Mono.just(Check.REQUIRED)
                        : prove(user.tenant(), user.id(), stored, code, recoveryCode)
                                .map(proved -> proved ? Check.PASSED : Check.FAILED))
                .switchIfEmpty(Mono.defer(() -> requiredByRoles(user)
                        .map(required -> required ? Check.ENROLMENT_REQUIRED : Check.NOT_NEEDED)));
    }

    /** True when one of the user's roles demands a second factor the user has not enabled. */
    public Mono<Boolean> enrolmentOutstanding(User user) {
        return unitOfWork.inTransaction(() -> store.find(user.tenant(), user.id()))
                .filter(stored -> stored.confirmedAt() != null)
                .map(enabled -> false)
                .switchIfEmpty(Mono.defer(() -> requiredByRoles(user)));
    }

    /** {@link #enrolmentOutstanding(User)} for a principal, looking the user up. */
    public Mono<Boolean> enrolmentOutstanding(io.hostrail.identity.port.out.Users users, Principal principal) {
        return users.findById(principal.tenant(), principal.userId()).flatMap(this::enrolmentOutstanding).defaultIfEmpty(false);
    }

    private Mono<Boolean> requiredByRoles(User user) {
        return roles.findAll(user.tenant(), user.roleIds()).any(Role::requiresSecondFactor);
    }

    private Mono<Boolean> prove(TenantId tenant, UUID userId, StoredTotp stored, String code, String recoveryCode) {
        if (code != null && !code.isBlank()) {
            return Mono.justOrEmpty(totp.verify(secretOf(tenant, stored), code.strip(), clock.instant(), stored.lastUsedStep()))
                    // The step is claimed with a conditional update: the same code cannot sign in twice.
                    .flatMap(step -> unitOfWork.inTransaction(() -> store.useStep(tenant, userId, step)))
                    .defaultIfEmpty(false);
        }
        String normalized = recoveryCode == null ? "" : RecoveryCodes.normalize(recoveryCode);
        if (!RecoveryCodes.isWellFormed(normalized)) {
            return Mono.just(false);
        }
        return unitOfWork.inTransactionMany(() -> store.unusedRecoveryCodes(tenant, userId))
                .concatMap(candidate -> hasher.matches(normalized, candidate.codeHash())
                        .filter(Boolean::booleanValue).map(matched -> candidate))
                .next()
                .flatMap(matched -> unitOfWork.inTransaction(() -> store.useRecoveryCode(tenant, matched.id(), clock.instant())))
                .defaultIfEmpty(false);
    }

    private TotpSecret secretOf(TenantId tenant, StoredTotp stored) {
        return TotpSecret.fromBase32(secretBox.open(stored.sealedSecret(), context(tenant, stored.userId())));
    }

    private static String context(TenantId tenant, UUID userId) {
        return "tenant:" + tenant.value() + ":user:" + userId + ":totp";
    }
}
