package io.hostrail.api.customer;

import io.hostrail.webclient.vies.ViesSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.vies.*}: whether customers' EU VAT numbers are checked with VIES (and reverse charge then needs a
 * number found valid), and how the client talks to it. Defaults live in application.yaml; docs/configuration.md
 * explains each one.
 */
@Validated
@ConfigurationProperties("hostrail.vies")
public record ViesProperties(
        boolean enabled,
        @NotNull URI baseUrl,
        @NotNull Duration connectTimeout,
        @NotNull Duration timeout,
        @Min(1) @Max(10) int maxAttempts,
        @NotNull Duration initialBackoff,
        @Min(1) @Max(1000) int maxConcurrentCalls,
        @Valid @NotNull CircuitBreaker circuitBreaker) {

    public record CircuitBreaker(
            @Min(1) @Max(100) int failureRatePercent,
            @Min(1) @Max(1000) int slidingWindowSize,
            @Min(1) @Max(1000) int minimumCalls,
            @NotNull Duration openFor,
            @Min(1) @Max(100) int halfOpenCalls) {
    }

    /** The client's settings; they refuse durations that are not positive, which stops the start when enabled. */
    public ViesSettings settings() {
        return new ViesSettings(baseUrl, connectTimeout, timeout, maxAttempts, initialBackoff, maxConcurrentCalls,
                circuitBreaker.failureRatePercent(), circuitBreaker.slidingWindowSize(), circuitBreaker.minimumCalls(),
                circuitBreaker.openFor(), circuitBreaker.halfOpenCalls());
    }
}
