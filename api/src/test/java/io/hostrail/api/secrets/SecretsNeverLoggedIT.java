package io.hostrail.api.secrets;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.model.Totp;
import io.hostrail.identity.model.TotpSecret;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Plants secrets (passwords, API keys, TOTP secrets and codes, tokens) in every flow that handles them,
 * with Hostrail's own logging turned up to DEBUG, and greps everything logged for them.
 */
@HostrailIntegrationTest
class SecretsNeverLoggedIT {

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;

    @Test
    @DisplayName("no planted secret appears in any log line, argument, MDC value or stack trace, nor in any read-back")
    void plantedSecretsNeverLeak() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger hostrail = (Logger) LoggerFactory.getLogger("io.hostrail");
        Level previous = hostrail.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        hostrail.setLevel(Level.DEBUG);
        List<String> planted = new ArrayList<>();
        try {
            planted.addAll(exerciseEveryFlowThatHandlesSecrets());
        } finally {
            root.detachAppender(captured);
            hostrail.setLevel(previous);
        }

        assertThat(captured.list).isNotEmpty();
        for (ILoggingEvent event : captured.list) {
            String everything = event.getFormattedMessage() + " " + event.getMDCPropertyMap() + " "
                    + (event.getArgumentArray() == null ? "" : List.of(event.getArgumentArray())) + " "
                    + throwableText(event.getThrowableProxy());
            for (String secret : planted) {
                assertThat(everything).as("log line from " + event.getLoggerName()).doesNotContain(secret);
            }
        }
    }

    private List<String> exerciseEveryFlowThatHandlesSecrets() {
        String password = "planted-owner-passphrase-4711";
        String tenant = newTenant(bootstrap, password);
        String owner = "owner@" + tenant + ".test";
        Map<String, Object> tokens = login(http, tenant, owner, password);
        String accessToken = (String) tokens.get("accessToken");
        String refreshToken = (String) tokens.get("refreshToken");
        String wrongPassword = "planted-wrong-password-0815";
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant", tenant, "email", owner, "password", wrongPassword)).exchange()
                .expectStatus().isUnauthorized();
        String staffPassword = "planted-team-passphrase-1234";
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(accessToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "staff@" + tenant + ".test", "password", staffPassword)).exchange()
                .expectStatus().isCreated();

        Map<?, ?> createdKey = http.post().uri("/api/v1/api-keys").headers(h -> h.setBearerAuth(accessToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "planted", "scopes", List.of("user:read")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String apiKey = (String) createdKey.get("key");
        http.get().uri("/api/v1/users").header("X-API-Key", apiKey).exchange().expectStatus().isOk();
        http.get().uri("/api/v1/users").header("X-API-Key", apiKey + "tampered").exchange().expectStatus().isUnauthorized();

        Map<?, ?> enrolment = http.post().uri("/api/v1/auth/second-factor/enrolment").headers(h -> h.setBearerAuth(accessToken))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String totpSecret = (String) enrolment.get("secret");
        Map<?, ?> confirmed = http.post().uri("/api/v1/auth/second-factor/confirmation").headers(h -> h.setBearerAuth(accessToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("code", new Totp().codeAt(TotpSecret.fromBase32(totpSecret), Instant.now()))).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String recoveryCode = (String) ((List<?>) confirmed.get("recoveryCodes")).getFirst();

        http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", refreshToken)).exchange().expectStatus().isOk();
        http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", refreshToken)).exchange().expectStatus().isUnauthorized();

        // Read-backs never carry a secret after its creation.
        String listing = http.get().uri("/api/v1/api-keys").headers(h -> h.setBearerAuth(accessToken)).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        String users = http.get().uri("/api/v1/users").headers(h -> h.setBearerAuth(accessToken)).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        for (String readBack : List.of(listing, users)) {
            assertThat(readBack).doesNotContain(apiKey).doesNotContain(apiKey.substring(apiKey.indexOf('.') + 1))
                    .doesNotContain(password).doesNotContain(staffPassword).doesNotContain(totpSecret)
                    .doesNotContain("password_hash").doesNotContain("$argon2");
        }
        return List.of(password, wrongPassword, staffPassword, apiKey, apiKey.substring(apiKey.indexOf('.') + 1),
                totpSecret, recoveryCode, refreshToken, refreshToken.substring(refreshToken.indexOf('.') + 1),
                accessToken.substring(accessToken.lastIndexOf('.') + 1));
    }

    private static String throwableText(IThrowableProxy throwable) {
        StringBuilder text = new StringBuilder();
        for (IThrowableProxy current = throwable; current != null; current = current.getCause()) {
            text.append(current.getClassName()).append(": ").append(current.getMessage()).append('\n');
        }
        return text.toString();
    }
}
