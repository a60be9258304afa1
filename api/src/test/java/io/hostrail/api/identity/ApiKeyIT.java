package io.hostrail.api.identity;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Third-party API keys: scoped, expiring, IP-limited, revocable, shown once. */
@HostrailIntegrationTest
class ApiKeyIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;

    private String tenant;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
    }

    @Test
    @DisplayName("a key is shown once, acts within its scopes, and is never listed with its secret")
    void scopedKey() {
        Map<?, ?> created = create(Map.of("name", "Accounting export", "scopes", List.of("user:read")))
                .expectStatus().isCreated()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody(Map.class).returnResult().getResponseBody();
        String key = (String) created.get("key");
        assertThat(key).matches("hrk_[a-z2-7]{12}\\.[A-Za-z0-9_-]{43}");

        http.get().uri("/api/v1/users").header("X-API-Key", key).exchange().expectStatus().isOk();
        http.get().uri("/api/v1/auth/me").header("X-API-Key", key).exchange()
                .expectBody().jsonPath("$.kind").isEqualTo("api_key").jsonPath("$.permissions[0]").isEqualTo("user:read");
        http.post().uri("/api/v1/users").header("X-API-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "x@" + tenant + ".test", "password", PASSWORD)).exchange()
                .expectStatus().isForbidden();

        String listing = http.get().uri("/api/v1/api-keys").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(listing).contains(key.substring(4, 16)).doesNotContain(key.substring(17));
        await().atMost(Duration.ofSeconds(5)).until(() -> lastUsedAt(created) != null);
    }

    @Test
    @DisplayName("revoked, forged, malformed and unknown keys are all 401")
    void badKeys() {
        Map<?, ?> created = create(Map.of("name", "soon revoked", "scopes", List.of("user:read")))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String key = (String) created.get("key");
        String forged = key.substring(0, key.indexOf('.') + 1) + "A".repeat(43);

        http.delete().uri("/api/v1/api-keys/{id}", ((Map<?, ?>) created.get("apiKey")).get("id"))
                .headers(h -> h.setBearerAuth(ownerToken)).exchange().expectStatus().isNoContent();
        for (String bad : List.of(key, forged, "hrk_garbage", "hrk_aaaaaaaaaaaa." + "B".repeat(43), "")) {
            http.get().uri("/api/v1/users").header("X-API-Key", bad).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    @DisplayName("an expired key stops working")
    void expiry() {
        String key = (String) create(Map.of("name", "short lived", "scopes", List.of("user:read"),
                        "expiresAt", Instant.now().plusSeconds(2).toString()))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("key");

        http.get().uri("/api/v1/users").header("X-API-Key", key).exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() ->
                http.get().uri("/api/v1/users").header("X-API-Key", key).exchange()
                        .returnResult(String.class).getStatus().value() == 401);
    }

    @Test
    @DisplayName("an IP allow-list admits only the listed addresses")
    void ipAllowList() {
        String elsewhere = (String) create(Map.of("name", "office only", "scopes", List.of("user:read"),
                        "allowedIps", List.of("10.0.0.0/8", "2001:db8::/32")))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("key");
        String here = (String) create(Map.of("name", "this host", "scopes", List.of("user:read"),
                        "allowedIps", List.of("127.0.0.0/8")))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("key");

        http.get().uri("/api/v1/users").header("X-API-Key", elsewhere).exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/v1/users").header("X-API-Key", here).exchange().expectStatus().isOk();
    }

    @Test
    @DisplayName("behind a trusted proxy, the allow-list judges the forwarded client, not the proxy")
    void allowListBehindATrustedProxy() {
        String office = (String) create(Map.of("name", "office", "scopes", List.of("user:read"),
                        "allowedIps", List.of("198.51.100.0/24")))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("key");

        // The test profile trusts the loopback as a proxy.
        http.get().uri("/api/v1/users").header("X-API-Key", office).header("X-Forwarded-For", "198.51.100.7").exchange()
                .expectStatus().isOk();
        http.get().uri("/api/v1/users").header("X-API-Key", office).header("X-Forwarded-For", "203.0.113.7").exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/api/v1/users").header("X-API-Key", office).exchange().expectStatus().isUnauthorized();
    }

    @Test
    @DisplayName("a key cannot carry more than its creator holds")
    void noEscalationThroughKeys() {
        http.post().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "integrations", "permissions", List.of("api_key:read", "api_key:write", "invoice:read")))
                .exchange().expectStatus().isCreated();
        List<?> roles = http.get().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(List.class).returnResult().getResponseBody();
        Object integrations = roles.stream().map(Map.class::cast).filter(r -> "integrations".equals(r.get("name")))
                .map(r -> r.get("id")).findFirst().orElseThrow();
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "dev@" + tenant + ".test", "password", PASSWORD, "roleIds", List.of(integrations)))
                .exchange().expectStatus().isCreated();
        String devToken = accessToken(http, tenant, "dev@" + tenant + ".test", PASSWORD);

        http.post().uri("/api/v1/api-keys").headers(h -> h.setBearerAuth(devToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "too much", "scopes", List.of("user:write"))).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/api_key.scope_not_grantable");
        http.post().uri("/api/v1/api-keys").headers(h -> h.setBearerAuth(devToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "fine", "scopes", List.of("invoice:read"))).exchange()
                .expectStatus().isCreated();
    }

    @Test
    @DisplayName("a key never outlives its creator's rights, and cannot act as a person")
    void keyFollowsItsCreator() {
        List<?> roles = http.get().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(List.class).returnResult().getResponseBody();
        Object admin = roles.stream().map(Map.class::cast).filter(r -> "admin".equals(r.get("name")))
                .map(r -> r.get("id")).findFirst().orElseThrow();
        Map<?, ?> creator = http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "integrator@" + tenant + ".test", "password", PASSWORD, "roleIds", List.of(admin)))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String creatorToken = accessToken(http, tenant, "integrator@" + tenant + ".test", PASSWORD);
        String key = (String) http.post().uri("/api/v1/api-keys").headers(h -> h.setBearerAuth(creatorToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "export", "scopes", List.of("user:read")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("key");
        http.get().uri("/api/v1/users").header("X-API-Key", key).exchange().expectStatus().isOk();
        http.post().uri("/api/v1/auth/second-factor/enrolment").header("X-API-Key", key).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.people_only");

        // Demoted: the key keeps its scopes on paper but can no longer use what the creator lost.
        http.put().uri("/api/v1/users/{id}/roles", creator.get("id")).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("roleIds", List.of(), "version", 0)).exchange()
                .expectStatus().isOk();
        http.get().uri("/api/v1/users").header("X-API-Key", key).exchange().expectStatus().isForbidden();
        // Disabled: the key stops working at all.
        http.put().uri("/api/v1/users/{id}/status", creator.get("id")).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "disabled", "version", 1)).exchange()
                .expectStatus().isOk();
        http.get().uri("/api/v1/users").header("X-API-Key", key).exchange().expectStatus().isUnauthorized();
    }

    @Test
    @DisplayName("invalid keys are refused at creation with the field named")
    void validation() {
        create(Map.of("name", "no scopes", "scopes", List.of())).expectStatus().isBadRequest();
        create(Map.of("name", "odd scope", "scopes", List.of("rocket:launch"))).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("scopes");
        create(Map.of("name", "past", "scopes", List.of("user:read"), "expiresAt", "2020-01-01T00:00:00Z"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("expiresAt");
        create(Map.of("name", "bad ip", "scopes", List.of("user:read"), "allowedIps", List.of("example.com")))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("allowedIps");
    }

    @Test
    @DisplayName("a key sees its own tenant only; another tenant's key ids are 404; creation and revocation are audited")
    void isolationAndAudit() {
        String other = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, other, "owner@" + other + ".test", PASSWORD);
        Map<?, ?> created = create(Map.of("name", "mine", "scopes", List.of("user:read")))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Object id = ((Map<?, ?>) created.get("apiKey")).get("id");

        http.get().uri("/api/v1/api-keys/{id}", id).headers(h -> h.setBearerAuth(otherToken)).exchange().expectStatus().isNotFound();
        http.delete().uri("/api/v1/api-keys/{id}", id).headers(h -> h.setBearerAuth(otherToken)).exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/users").header("X-API-Key", (String) created.get("key")).exchange()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].email").isEqualTo("owner@" + tenant + ".test");

        http.delete().uri("/api/v1/api-keys/{id}", id).headers(h -> h.setBearerAuth(ownerToken)).exchange().expectStatus().isNoContent();
        String trail = http.get().uri("/api/v1/audit?targetType=api_key").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(trail).contains("api_key.created").contains("api_key.revoked").doesNotContain((String) created.get("key"));
    }

    private WebTestClient.ResponseSpec create(Map<String, Object> body) {
        return http.post().uri("/api/v1/api-keys").headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private Object lastUsedAt(Map<?, ?> created) {
        Map<?, ?> key = http.get().uri("/api/v1/api-keys/{id}", ((Map<?, ?>) created.get("apiKey")).get("id"))
                .headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return key.get("lastUsedAt");
    }
}
