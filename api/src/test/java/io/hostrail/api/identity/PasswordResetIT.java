package io.hostrail.api.identity;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Password reset by an administrator's single-use, expiring token. */
@HostrailIntegrationTest
class PasswordResetIT {

    private static final String PASSWORD = "a long and unguessable passphrase";
    private static final String NEW_PASSWORD = "a brand new and longer passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired UnitOfWork unitOfWork;

    private String tenant;
    private String ownerToken;
    private String staffEmail;
    private String staffId;

    @BeforeEach
    void tenantWithStaff() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
        staffEmail = "kim@" + tenant + ".test";
        Map<?, ?> staff = http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", staffEmail, "password", PASSWORD))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        staffId = (String) staff.get("id");
    }

    @Test
    @DisplayName("a reset token sets a new password once and signs out every session")
    void resetOnce() {
        String refreshToken = (String) login(http, tenant, staffEmail, PASSWORD).get("refreshToken");
        String token = issue(ownerToken, staffId).expectStatus().isCreated()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody(Map.class).returnResult().getResponseBody().get("token").toString();

        complete(token, NEW_PASSWORD).expectStatus().isNoContent();
        complete(token, "yet another long passphrase").expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.invalid_reset_token");
        http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", refreshToken)).exchange().expectStatus().isUnauthorized();
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant", tenant, "email", staffEmail, "password", PASSWORD)).exchange()
                .expectStatus().isUnauthorized();
        login(http, tenant, staffEmail, NEW_PASSWORD);
        String trail = http.get().uri("/api/v1/audit?targetId=" + staffId).headers(h -> h.setBearerAuth(ownerToken))
                .exchange().expectBody(String.class).returnResult().getResponseBody();
        assertThat(trail).contains("user.password_reset_issued").contains("user.password_reset_completed").doesNotContain(token);
    }

    @Test
    @DisplayName("an expired token, a forged token and a weak new password are all refused, changing nothing")
    void refusals() {
        String token = issue(ownerToken, staffId).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("token").toString();
        complete(token, "qwertyuiop123").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("newPassword");
        complete(token.substring(0, 37) + "A".repeat(43), NEW_PASSWORD).expectStatus().isUnauthorized();
        complete("not-a-token", NEW_PASSWORD).expectStatus().isUnauthorized();

        TenantId tenantId = new TenantId(UUID.fromString(token.substring(0, 36)));
        TenantContext.within(tenantId, unitOfWork.inTransaction(() -> database
                        .sql("UPDATE password_reset_token SET expires_at = now() - interval '1 minute' WHERE user_id = :u")
                        .bind("u", UUID.fromString(staffId)).fetch().rowsUpdated()))
                .block(Duration.ofSeconds(10));
        complete(token, NEW_PASSWORD).expectStatus().isUnauthorized();
        login(http, tenant, staffEmail, PASSWORD);
    }

    @Test
    @DisplayName("nobody resets the password of someone holding more than they do")
    void noTakeoverThroughReset() {
        List<?> roles = http.get().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(List.class).returnResult().getResponseBody();
        Object admin = roles.stream().map(Map.class::cast).filter(r -> "admin".equals(r.get("name")))
                .map(r -> r.get("id")).findFirst().orElseThrow();
        String adminEmail = "ada@" + tenant + ".test";
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", adminEmail, "password", PASSWORD, "roleIds", List.of(admin))).exchange()
                .expectStatus().isCreated();
        String adminToken = accessToken(http, tenant, adminEmail, PASSWORD);
        String ownerId = (String) http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("userId");

        issue(adminToken, ownerId).expectStatus().isForbidden();
        issue(adminToken, staffId).expectStatus().isCreated();
    }

    private WebTestClient.ResponseSpec issue(String token, String userId) {
        return http.post().uri("/api/v1/users/{id}/password-reset", userId).headers(h -> h.setBearerAuth(token)).exchange();
    }

    private WebTestClient.ResponseSpec complete(String token, String newPassword) {
        return http.post().uri("/api/v1/auth/password-reset").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", token, "newPassword", newPassword)).exchange();
    }
}
