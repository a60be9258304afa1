package io.hostrail.api.identity;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.infra.embedded.EmbeddedPostgresServer;
import io.hostrail.infra.embedded.SharedEmbeddedStack;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
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
import reactor.core.publisher.Mono;

/** Privileged actions leave an append-only, hash-chained trail that proves itself intact, or names the break. */
@HostrailIntegrationTest
class AuditIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

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
    @DisplayName("user and role changes are recorded with who, what, before/after, IP and request id")
    @SuppressWarnings("unchecked")
    void privilegedActionsAreRecorded() {
        Map<?, ?> role = http.post().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken))
                .header("X-Request-Id", "audit-req-1").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "auditors", "permissions", List.of("audit:read"))).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> user = http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "ivy@" + tenant + ".test", "password", PASSWORD, "roleIds", List.of(role.get("id"))))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        http.put().uri("/api/v1/users/{id}/roles", user.get("id")).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("roleIds", List.of(), "version", 0)).exchange()
                .expectStatus().isOk();

        List<Map<String, Object>> trail = search("");
        assertThat(trail).extracting(r -> r.get("action"))
                .containsSubsequence("user.roles_changed", "user.created", "role.created", "auth.login_succeeded");
        Map<String, Object> roleCreated = find(trail, "role.created");
        assertThat(roleCreated.get("actor")).isEqualTo(owner);
        assertThat(roleCreated.get("actorKind")).isEqualTo("STAFF_USER");
        assertThat(roleCreated.get("requestId")).isEqualTo("audit-req-1");
        assertThat(roleCreated.get("ip")).isEqualTo("127.0.0.1");
        assertThat((Map<Object, Object>) roleCreated.get("after")).containsEntry("permissions", "audit:read");
        Map<String, Object> rolesChanged = find(trail, "user.roles_changed");
        assertThat((Map<Object, Object>) rolesChanged.get("before")).containsEntry("roleIds", role.get("id"));
        assertThat((Map<Object, Object>) rolesChanged.get("after")).containsEntry("roleIds", "");
    }

    @Test
    @DisplayName("failed logins are recorded against the account, without the password")
    void failedLoginsAreRecorded() {
        http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant", tenant, "email", owner, "password", "wrong-but-planted-secret")).exchange()
                .expectStatus().isUnauthorized();

        Map<String, Object> failed = find(search("?action=auth.login_failed"), "auth.login_failed");
        assertThat(failed.get("actorKind")).isEqualTo("SYSTEM");
        assertThat(failed.toString()).doesNotContain("wrong-but-planted-secret");
    }

    @Test
    @DisplayName("behind a trusted proxy the trail records the client's address, not the proxy's")
    void forwardedClientAddress() {
        http.post().uri("/api/v1/auth/login").header("X-Forwarded-For", "203.0.113.9").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant", tenant, "email", owner, "password", PASSWORD)).exchange().expectStatus().isOk();

        assertThat(search("?action=auth.login_succeeded")).first()
                .satisfies(record -> assertThat(record.get("ip")).isEqualTo("203.0.113.9"));
    }

    @Test
    @DisplayName("filters and the cursor page through the trail, newest first")
    void filtersAndCursor() {
        for (int i = 0; i < 3; i++) {
            login(http, tenant, owner, PASSWORD);
        }
        List<Map<String, Object>> logins = search("?action=auth.login_succeeded");
        assertThat(logins).hasSize(4).allSatisfy(r -> assertThat(r.get("action")).isEqualTo("auth.login_succeeded"));
        assertThat(logins).extracting(r -> ((Number) r.get("sequence")).longValue()).isSortedAccordingTo((a, b) -> Long.compare(b, a));

        Map<?, ?> firstPage = page("?action=auth.login_succeeded&limit=3");
        Map<?, ?> secondPage = page("?action=auth.login_succeeded&limit=3&before=" + firstPage.get("nextCursor"));
        assertThat((List<?>) firstPage.get("items")).hasSize(3);
        assertThat((List<?>) secondPage.get("items")).hasSize(1);
    }

    @Test
    @DisplayName("an untouched chain verifies intact")
    void intactChain() {
        login(http, tenant, owner, PASSWORD);
        http.get().uri("/api/v1/audit/verification").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("intact")
                .jsonPath("$.records").isEqualTo(2);
    }

    @Test
    @DisplayName("a record altered behind the application's back is named as the first broken link")
    void alteredRecordIsFound() throws Exception {
        for (int i = 0; i < 3; i++) {
            login(http, tenant, owner, PASSWORD);
        }
        asSuperuser("""
                ALTER TABLE audit_record DISABLE TRIGGER audit_record_append_only;
                UPDATE audit_record SET actor_display = 'someone-else'
                WHERE sequence = 2 AND tenant_id = (SELECT id FROM tenant WHERE slug = '%s');
                ALTER TABLE audit_record ENABLE TRIGGER audit_record_append_only;
                """.formatted(tenant));

        http.get().uri("/api/v1/audit/verification").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("broken")
                .jsonPath("$.brokenAtSequence").isEqualTo(2)
                .jsonPath("$.reason").value(reason -> assertThat((String) reason).startsWith("hash mismatch"));
    }

    @Test
    @DisplayName("records cut from the end of the chain are noticed against the stored head")
    void truncationIsFound() throws Exception {
        login(http, tenant, owner, PASSWORD);
        asSuperuser("""
                ALTER TABLE audit_record DISABLE TRIGGER audit_record_append_only;
                DELETE FROM audit_record WHERE sequence = 2 AND tenant_id = (SELECT id FROM tenant WHERE slug = '%s');
                ALTER TABLE audit_record ENABLE TRIGGER audit_record_append_only;
                """.formatted(tenant));

        http.get().uri("/api/v1/audit/verification").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody()
                .jsonPath("$.status").isEqualTo("broken")
                .jsonPath("$.reason").value(reason -> assertThat((String) reason).startsWith("missing records"));
    }

    @Test
    @DisplayName("the application itself cannot rewrite history")
    void appendOnlyForTheApplication() {
        TenantId tenantId = new TenantId(UUID.fromString((String) ((Map<?, ?>) login(http, tenant, owner, PASSWORD)
                .get("user")).get("tenantId")));
        Throwable refused = TenantContext.within(tenantId, unitOfWork.inTransaction(() ->
                        database.sql("UPDATE audit_record SET action = 'auth.nothing_happened'").fetch().rowsUpdated()))
                .then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(Duration.ofSeconds(10));

        assertThat(refused).isNotNull().hasMessageContaining("append-only");
    }

    @Test
    @DisplayName("a tenant sees only its own trail, and reading it takes audit:read")
    void isolationAndPermission() {
        String other = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, other, "owner@" + other + ".test", PASSWORD);
        assertThat(searchAs(otherToken, "")).allSatisfy(r -> assertThat(r.get("actor")).isNotEqualTo(owner));

        List<?> roles = http.get().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectBody(List.class).returnResult().getResponseBody();
        Object support = roles.stream().map(Map.class::cast).filter(r -> "support".equals(r.get("name")))
                .map(r -> r.get("id")).findFirst().orElseThrow();
        http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "sam@" + tenant + ".test", "password", PASSWORD, "roleIds", List.of(support)))
                .exchange().expectStatus().isCreated();
        String supportToken = accessToken(http, tenant, "sam@" + tenant + ".test", PASSWORD);
        http.get().uri("/api/v1/audit").headers(h -> h.setBearerAuth(supportToken)).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    @DisplayName("changing one's password needs the current one, signs out every session and is audited")
    void passwordChange() {
        String refreshToken = (String) login(http, tenant, owner, PASSWORD).get("refreshToken");
        String newPassword = "an even longer and newer passphrase";

        changePassword("not my password", newPassword).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/user.wrong_current_password");
        changePassword(PASSWORD, "qwertyuiop123").expectStatus().isBadRequest();
        changePassword(PASSWORD, newPassword).expectStatus().isNoContent();

        http.post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refreshToken", refreshToken)).exchange().expectStatus().isUnauthorized();
        login(http, tenant, owner, newPassword);
        assertThat(search("?action=user.password_changed")).hasSize(1);
    }

    private WebTestClient.ResponseSpec changePassword(String current, String replacement) {
        return http.post().uri("/api/v1/auth/password").headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("currentPassword", current, "newPassword", replacement)).exchange();
    }

    private List<Map<String, Object>> search(String query) {
        return searchAs(ownerToken, query);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> searchAs(String token, String query) {
        Map<?, ?> page = http.get().uri("/api/v1/audit" + query).headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, Object>>) page.get("items");
    }

    private Map<?, ?> page(String query) {
        return http.get().uri("/api/v1/audit" + query).headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private static Map<String, Object> find(List<Map<String, Object>> trail, String action) {
        return trail.stream().filter(r -> action.equals(r.get("action"))).findFirst().orElseThrow(
                () -> new AssertionError(action + " not in " + trail.stream().map(r -> r.get("action")).toList()));
    }

    private static void asSuperuser(String sql) throws Exception {
        EmbeddedPostgresServer postgres = SharedEmbeddedStack.get().postgres();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.ADMIN_USER,
                EmbeddedPostgresServer.ADMIN_PASSWORD); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
