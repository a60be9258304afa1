package io.hostrail.api.identity;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hostrail.secrets.*}: the master keys that seal secrets at rest, as {@code id:base64key,...},
 * and which of them seals new values. Old keys stay listed until everything is resealed.
 */
@Validated
@ConfigurationProperties("hostrail.secrets")
public record SecretsProperties(@NotBlank String masterKeys, @NotBlank String activeKey) {

    @Override
    public String toString() {
        return "SecretsProperties[masterKeys=****, activeKey=" + activeKey + "]";
    }
}
