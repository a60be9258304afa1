package io.hostrail.api.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.*}: what identifies this instance and bounds its HTTP surface.
 *
 * @param instanceId distinguishes instances sharing one database (outbox leases, Kafka client ids)
 * @param maxRequestBody larger request bodies are refused with 413 before they are read
 */
@Validated
@ConfigurationProperties("hostrail")
public record HostrailProperties(@NotBlank String instanceId, @NotNull DataSize maxRequestBody) {
}
