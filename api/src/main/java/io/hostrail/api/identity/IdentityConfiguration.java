package io.hostrail.api.identity;

import io.hostrail.adapters.crypto.AesGcmSecretBox;
import io.hostrail.adapters.r2dbc.audit.R2dbcAuditLog;
import io.hostrail.adapters.r2dbc.secrets.R2dbcSecretResealer;
import io.hostrail.audit.port.out.AuditLog;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.adapters.crypto.MasterKeys;
import io.hostrail.adapters.r2dbc.identity.R2dbcApiKeys;
import io.hostrail.adapters.r2dbc.identity.R2dbcLoginThrottle;
import io.hostrail.adapters.r2dbc.identity.R2dbcPasswordResetTokens;
import io.hostrail.adapters.r2dbc.identity.R2dbcRefreshTokens;
import io.hostrail.identity.port.out.LoginThrottle;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.adapters.r2dbc.identity.R2dbcSecondFactors;
import io.hostrail.identity.service.SecondFactorService;
import io.hostrail.identity.port.out.ApiKeys;
import io.hostrail.identity.port.out.PasswordResetTokens;
import io.hostrail.identity.service.ExpiredTokenPurge;
import io.hostrail.identity.service.ApiKeyService;
import io.hostrail.adapters.r2dbc.identity.R2dbcRoles;
import io.hostrail.adapters.r2dbc.identity.R2dbcTenants;
import io.hostrail.adapters.r2dbc.identity.R2dbcUsers;
import io.hostrail.adapters.security.Argon2PasswordHasher;
import io.hostrail.adapters.security.JwtAccessTokens;
import io.hostrail.adapters.security.SigningKeys;
import io.hostrail.api.security.SecurityProperties;
import io.hostrail.identity.model.PasswordPolicy;
import io.hostrail.identity.port.out.AccessTokens;
import io.hostrail.identity.port.out.RefreshTokens;
import io.hostrail.identity.port.out.Roles;
import io.hostrail.identity.port.out.Tenants;
import io.hostrail.identity.port.out.Users;
import io.hostrail.identity.service.AuthenticationService;
import io.hostrail.identity.service.RoleAdministration;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.identity.service.UserAdministration;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.SecureRandoms;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.shared.secret.SecretBox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import io.hostrail.api.config.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.json.JsonMapper;

/** Identity wiring: the core's services built with {@code new}, over their adapters. */
@Configuration(proxyBeanMethods = false)
public class IdentityConfiguration {

    /** Other instances pick up a new signing key within this; replaced keys stay published well beyond it. */
    static final Duration SIGNING_KEY_CHECK = Duration.ofMinutes(5);

    @Bean
    public SecureRandom secureRandom() {
        return SecureRandoms.warmedDrbg();
    }

    @Bean
    public SecretBox secretBox(SecretsProperties secrets) {
        return new AesGcmSecretBox(MasterKeys.parse(secrets.masterKeys(), secrets.activeKey()));
    }

    @Bean
    public AuditLog auditLog(DatabaseClient database, JsonMapper json, IdGenerator ids) {
        return new R2dbcAuditLog(database, json, ids);
    }

    @Bean
    public AuditTrail auditTrail(AuditLog log, UnitOfWork unitOfWork, Clock clock) {
        return new AuditTrail(log, unitOfWork, clock);
    }

    @Bean
    public R2dbcSecretResealer secretResealer(DatabaseClient database, UnitOfWork unitOfWork, SecretBox secretBox) {
        return new R2dbcSecretResealer(database, unitOfWork, secretBox);
    }

    @Bean
    public Tenants tenants(DatabaseClient database, Clock clock) {
        return new R2dbcTenants(database, clock);
    }

    @Bean
    public Users users(DatabaseClient database, Clock clock) {
        return new R2dbcUsers(database, clock);
    }

    @Bean
    public Roles roles(DatabaseClient database, Clock clock) {
        return new R2dbcRoles(database, clock);
    }

    @Bean
    public RefreshTokens refreshTokens(DatabaseClient database) {
        return new R2dbcRefreshTokens(database);
    }

    @Bean(destroyMethod = "close")
    public Argon2PasswordHasher passwordHasher(IdentityProperties properties) {
        return new Argon2PasswordHasher(properties.passwordHashingThreads(), properties.passwordHashingMemoryKib(),
                properties.passwordHashingIterations());
    }

    @Bean
    public SigningKeys signingKeys(DatabaseClient database, SecretBox secretBox, IdGenerator ids, Clock clock,
            SecurityProperties security, SecureRandom random) {
        // A replaced key may still sign on other instances until their next check, and its tokens live for
        // the access token lifetime after that: it stays published for both, twice over.
        return new SigningKeys(database, secretBox, ids, clock, security.signingKeyRotation(),
                security.accessTokenLifetime().plus(SIGNING_KEY_CHECK).multipliedBy(2), random);
    }

    /** Makes the first signing key at start, then checks for rotation and other instances' keys. */
    @Bean
    public PeriodicTask signingKeyCheck(SigningKeys signingKeys) {
        return new PeriodicTask("signing key check", Duration.ZERO, SIGNING_KEY_CHECK, signingKeys::refresh);
    }

    /** Forgets sign-in failure counts quiet for a day: attackers pick the subjects, so they must not pile up. */
    @Bean
    public PeriodicTask loginThrottlePurge(LoginThrottle throttle, Clock clock) {
        return new PeriodicTask("login throttle purge", Duration.ofHours(1), Duration.ofHours(1),
                () -> throttle.purgeQuietSince(clock.instant().minus(Duration.ofDays(1))));
    }

    @Bean
    public AccessTokens accessTokens(SigningKeys keys, IdGenerator ids, SecurityProperties security, SecureRandom random) {
        return new JwtAccessTokens(keys, ids, security.issuer(), security.accessTokenLifetime(), random);
    }

    @Bean
    public PasswordPolicy passwordPolicy(IdentityProperties properties) {
        return new PasswordPolicy(properties.passwordMinLength(), 256, breachedPasswords());
    }

    @Bean
    public AuthenticationService authenticationService(Tenants tenants, Users users, Roles roles,
            RefreshTokens refreshTokens, Argon2PasswordHasher hasher, AccessTokens accessTokens, UnitOfWork unitOfWork,
            IdGenerator ids, Clock clock, SecureRandom random, SecurityProperties security, AuditTrail audit,
            PasswordPolicy passwordPolicy, SecondFactorService secondFactors, LoginThrottle throttle,
            DomainEvents events, IdentityProperties identity) {
        return new AuthenticationService(tenants, users, roles, refreshTokens, hasher, accessTokens, unitOfWork, ids,
                clock, random, security.refreshTokenLifetime(), audit, passwordPolicy, secondFactors, throttle,
                identity.loginThrottle().policy(), events);
    }

    @Bean
    public LoginThrottle loginThrottle(DatabaseClient database) {
        return new R2dbcLoginThrottle(database);
    }

    @Bean
    public SecondFactorService secondFactorService(DatabaseClient database, IdGenerator ids, Roles roles,
            SecretBox secretBox, Argon2PasswordHasher hasher, UnitOfWork unitOfWork, Clock clock, SecureRandom random,
            AuditTrail audit, SecurityProperties security) {
        return new SecondFactorService(new R2dbcSecondFactors(database, ids), roles, secretBox, hasher, unitOfWork, clock,
                random, audit, "Hostrail");
    }

    @Bean
    public UserAdministration userAdministration(Users users, Roles roles, Argon2PasswordHasher hasher,
            PasswordPolicy policy, UnitOfWork unitOfWork, IdGenerator ids, AuditTrail audit, DatabaseClient database,
            RefreshTokens refreshTokens, Clock clock, SecureRandom random, PasswordResetTokens resetTokens) {
        return new UserAdministration(users, roles, hasher, policy, unitOfWork, ids, audit, resetTokens, refreshTokens,
                clock, random);
    }

    @Bean
    public PasswordResetTokens passwordResetTokens(DatabaseClient database) {
        return new R2dbcPasswordResetTokens(database);
    }

    @Bean
    public ExpiredTokenPurge expiredTokenPurge(Tenants tenants, RefreshTokens refreshTokens,
            PasswordResetTokens resetTokens, UnitOfWork unitOfWork, Clock clock) {
        return new ExpiredTokenPurge(tenants, refreshTokens, resetTokens, unitOfWork, clock);
    }

    /** Expired refresh and reset tokens are deleted a day after they expire, hourly. */
    @Bean
    public PeriodicTask expiredTokenPurgeTask(ExpiredTokenPurge purge) {
        return new PeriodicTask("expired token purge", Duration.ofHours(1), Duration.ofHours(1), purge::run);
    }

    @Bean
    public RoleAdministration roleAdministration(Roles roles, UnitOfWork unitOfWork, IdGenerator ids, AuditTrail audit) {
        return new RoleAdministration(roles, unitOfWork, ids, audit);
    }

    @Bean
    public ApiKeys apiKeys(DatabaseClient database) {
        return new R2dbcApiKeys(database);
    }

    @Bean
    public ApiKeyService apiKeyService(ApiKeys keys, UnitOfWork unitOfWork, IdGenerator ids, Clock clock,
            SecureRandom random, AuditTrail audit, Users users, Roles roles) {
        return new ApiKeyService(keys, unitOfWork, ids, clock, random, audit, users, roles);
    }

    @Bean
    public TenantBootstrap tenantBootstrap(Tenants tenants, Roles roles, Users users, Argon2PasswordHasher hasher,
            UnitOfWork unitOfWork, IdGenerator ids) {
        return new TenantBootstrap(tenants, roles, users, hasher, unitOfWork, ids);
    }

    /** The bundled list of the most common breached passwords (lower case, one per line). */
    static Set<String> breachedPasswords() {
        try (var reader = new BufferedReader(new InputStreamReader(
                new ClassPathResource("identity/breached-passwords.txt").getInputStream(), StandardCharsets.UTF_8))) {
            return reader.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException("the breached password list is missing", e);
        }
    }
}
