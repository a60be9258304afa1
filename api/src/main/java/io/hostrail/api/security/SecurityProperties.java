package io.hostrail.api.security;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.security.*}: token lifetimes and signing, CORS, and paths that need no authentication.
 *
 * @param publicPaths extra path patterns open without a token (the built-in public ones are fixed)
 */
@Validated
@ConfigurationProperties("hostrail.security")
public record SecurityProperties(
        @NotBlank String issuer,
        @NotNull Duration accessTokenLifetime,
        @NotNull Duration refreshTokenLifetime,
        @NotNull Duration signingKeyRotation,
        @NotNull List<String> publicPaths,
        @NotNull List<String> corsAllowedOrigins,
        boolean hsts) {
}
