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
        @Min(1) int passwordHashingThreads) {
}
