package io.hostrail.api.identity;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.identity.*}: the first tenant created on an empty database, and password rules.
 *
 * @param bootstrapOwnerPassword empty: a strong password is generated and printed once at first start
 */
@Validated
@ConfigurationProperties("hostrail.identity")
public record IdentityProperties(
        @NotNull String bootstrapTenantSlug,
        @NotNull String bootstrapTenantName,
        @NotNull String bootstrapOwnerEmail,
        @NotNull String bootstrapOwnerPassword,
        @Min(8) int passwordMinLength,
        @Min(1) int passwordHashingThreads,
        @Min(1024) int passwordHashingMemoryKib,
        @Min(1) int passwordHashingIterations,
        @jakarta.validation.Valid @NotNull LoginThrottle loginThrottle) {

    /** Brute-force protection for sign-in; see LoginThrottlePolicy. */
    public record LoginThrottle(@Min(0) int freeAttempts, @NotNull java.time.Duration delayUnit,
            @NotNull java.time.Duration maxDelay, @Min(1) int accountLockAfter, @Min(1) int ipLockAfter,
            @NotNull java.time.Duration window, @NotNull java.time.Duration lockFor) {

        io.hostrail.identity.model.LoginThrottlePolicy policy() {
            return new io.hostrail.identity.model.LoginThrottlePolicy(freeAttempts, delayUnit, maxDelay, accountLockAfter,
                    ipLockAfter, window, lockFor);
        }
    }
}
