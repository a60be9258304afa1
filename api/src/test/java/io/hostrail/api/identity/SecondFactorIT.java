package io.hostrail.api.identity;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.model.Totp;
import io.hostrail.identity.model.TotpSecret;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** TOTP second factor: enrolment, sign-in, replay, recovery codes, and roles that demand it. */
@HostrailIntegrationTest
class SecondFactorIT {

    private static final String PASSWORD = "a long and unguessable passphrase";
    private static final Totp TOTP = new Totp();

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired UnitOfWork unitOfWork;

    private String tenant;
    private String owner;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        owner = "owner@" + tenant + ".test";
        ownerToken = accessToken(http, tenant, owner, PASSWORD);
    }

    @Test
    @DisplayName("enrol, confirm, then sign in only with a fresh code; a code cannot be used twice")
    void enrolAndSignIn() {
        TotpSecret secret = enrol(ownerToken);
        post("/api/v1/auth/second-factor/confirmation", ownerToken, Map.of("code", "000000"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        List<?> recoveryCodes = confirm(ownerToken, secret);
        assertThat(recoveryCodes).hasSize(10);

        login(Map.of()).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.second_factor_required");
        login(Map.of("totpCode", "123456")).expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.second_factor_invalid");
        // The confirmation used the current step; the next step's code is inside the drift window.
        String next = TOTP.codeAt(secret, Instant.now().plusSeconds(30));
        login(Map.of("totpCode", next)).expectStatus().isOk();
        login(Map.of("totpCode", next)).expectStatus().isUnauthorized();
    }

    @Test
    @DisplayName("a recovery code signs in once")
    void recoveryCodes() {
        TotpSecret secret = enrol(ownerToken);
        List<?> recoveryCodes = confirm(ownerToken, secret);
        String code = ((String) recoveryCodes.getFirst()).toUpperCase();

        login(Map.of("recoveryCode", code)).expectStatus().isOk();
        login(Map.of("recoveryCode", code)).expectStatus().isUnauthorized();
        login(Map.of("recoveryCode", (String) recoveryCodes.get(1))).expectStatus().isOk();
    }

    @Test
    @DisplayName("the shared secret is stored sealed, never in the clear")
    void secretIsSealedAtRest() {
        TotpSecret secret = enrol(ownerToken);
        Map<?, ?> me = http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(Map.class).returnResult().getResponseBody();
        TenantId tenantId = new TenantId(UUID.fromString((String) me.get("tenantId")));

        String stored = TenantContext.within(tenantId, unitOfWork.inTransaction(() -> database
                        .sql("SELECT secret_sealed FROM user_totp WHERE user_id = :user")
                        .bind("user", UUID.fromString((String) me.get("userId")))
                        .map(row -> row.get("secret_sealed", String.class)).one()))
                .block(Duration.ofSeconds(10));

        assertThat(stored).startsWith("hs1:").doesNotContain(secret.base32()).doesNotContainIgnoringCase(secret.base32());
    }

    @Test
    @DisplayName("a role can demand a second factor: its holders sign in without permissions until they enrol")
    @SuppressWarnings("unchecked")
    void roleEnforcesSecondFactor() {
        Object billing = roleId("billing");
        http.put().uri("/api/v1/roles/{id}/second-factor", billing).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("required", true)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.requiresSecondFactor").isEqualTo(true);
        String email = "bea@" + tenant + ".test";
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", PASSWORD, "roleIds", List.of(billing))).exchange()
                .expectStatus().isCreated();

        Map<?, ?> restricted = loginAs(email, Map.of()).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(restricted.get("secondFactorEnrolmentRequired")).isEqualTo(true);
        String limitedToken = (String) restricted.get("accessToken");
        http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(limitedToken)).exchange()
                .expectBody().jsonPath("$.permissions.length()").isEqualTo(0);
        http.get().uri("/api/v1/permissions").headers(h -> h.setBearerAuth(limitedToken)).exchange().expectStatus().isForbidden();

        TotpSecret secret = enrol(limitedToken);
        confirm(limitedToken, secret);
        Map<?, ?> full = loginAs(email, Map.of("totpCode", TOTP.codeAt(secret, Instant.now().plusSeconds(30))))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(full.get("secondFactorEnrolmentRequired")).isEqualTo(false);
        assertThat((List<Object>) ((Map<?, ?>) full.get("user")).get("permissions")).contains("invoice:write");
    }

    @Test
    @DisplayName("turning the second factor off needs proof of possession")
    void disableNeedsACode() {
        TotpSecret secret = enrol(ownerToken);
        List<?> recoveryCodes = confirm(ownerToken, secret);

        post("/api/v1/auth/second-factor/disable", ownerToken, Map.of("code", "000000"))
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        post("/api/v1/auth/second-factor/disable", ownerToken, Map.of("recoveryCode", recoveryCodes.getFirst()))
                .expectStatus().isNoContent();
        login(Map.of()).expectStatus().isOk();
        post("/api/v1/auth/second-factor/enrolment", ownerToken, Map.of()).expectStatus().isOk();
    }

    private TotpSecret enrol(String token) {
        Map<?, ?> enrolment = post("/api/v1/auth/second-factor/enrolment", token, Map.of())
                .expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((String) enrolment.get("otpauthUri")).startsWith("otpauth://totp/Hostrail:");
        return TotpSecret.fromBase32((String) enrolment.get("secret"));
    }

    private List<?> confirm(String token, TotpSecret secret) {
        Map<?, ?> confirmed = post("/api/v1/auth/second-factor/confirmation", token,
                        Map.of("code", TOTP.codeAt(secret, Instant.now())))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<?>) confirmed.get("recoveryCodes");
    }

    private WebTestClient.ResponseSpec login(Map<String, String> codes) {
        return loginAs(owner, codes);
    }

    private WebTestClient.ResponseSpec loginAs(String email, Map<String, String> codes) {
        Map<String, String> body = new HashMap<>(codes);
        body.putAll(Map.of("tenant", tenant, "email", email, "password", PASSWORD));
        return http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec post(String uri, String token, Map<String, ?> body) {
        return http.post().uri(uri).headers(h -> h.setBearerAuth(token)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private Object roleId(String name) {
        List<?> roles = http.get().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(List.class).returnResult().getResponseBody();
        return roles.stream().map(Map.class::cast).filter(r -> name.equals(r.get("name"))).map(r -> r.get("id"))
                .findFirst().orElseThrow();
    }
}
