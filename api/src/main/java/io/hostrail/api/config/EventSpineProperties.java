package io.hostrail.api.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** {@code hostrail.events.*}: the outbox relay and the event consumers. Defaults live in application.yaml. */
@Validated
@ConfigurationProperties("hostrail.events")
public record EventSpineProperties(
        @NotBlank String topic,
        @NotBlank String deadLetterTopic,
        @Min(1) @Max(1000) int partitions,
        @Min(1) @Max(5) short replicationFactor,
        @NotBlank String source,
        @NotNull Duration topicCheckInterval,
        @Valid @NotNull Relay relay,
        @Valid @NotNull Consumer consumer) {

    public record Relay(
            @Min(1) @Max(10_000) int batchSize,
            @NotNull Duration pollInterval,
            @NotNull Duration lease,
            @NotNull Duration maxBackoff,
            @NotNull Duration retention,
            @NotNull Duration cleanupInterval) {
    }

    public record Consumer(
            @Min(1) @Max(100) int maxAttempts,
            @NotNull Duration initialBackoff,
            @NotNull Duration maxBackoff,
            @NotNull Duration commitInterval,
            @NotNull Duration processedRetention) {
    }
}
