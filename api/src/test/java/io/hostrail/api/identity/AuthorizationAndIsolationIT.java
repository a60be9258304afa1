package io.hostrail.api.identity;

import static io.hostrail.api.support.Identities.accessToken;
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
import java.util.Set;
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

/** Who may do what, and that no tenant ever sees or touches another's rows. */
@HostrailIntegrationTest
class AuthorizationAndIsolationIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;
    @Autowired UnitOfWork unitOfWork;

    private String tenant;
    private String ownerToken;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        ownerToken = accessToken(http, tenant, "owner@" + tenant + ".test", PASSWORD);
    }

    @Test
    @DisplayName("an owner creates a staff user with a role; the user signs in with that role's permissions")
    void createUserWithRole() {
        UUID billing = roleId(ownerToken, "billing");

        Map<?, ?> created = createUser(ownerToken, "ann@" + tenant + ".test", Set.of(billing))
                .expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/v1/users/[0-9a-f-]{36}")
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(created.get("roleIds")).isEqualTo(List.of(billing.toString()));

        String annToken = accessToken(http, tenant, "ann@" + tenant + ".test", PASSWORD);
        http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(annToken)).exchange()
                .expectBody()
                .jsonPath("$.roles[0]").isEqualTo("billing")
                .jsonPath("$.permissions[?(@ == 'invoice:write')]").exists()
                .jsonPath("$.permissions[?(@ == 'user:write')]").doesNotExist();
    }

    @Test
    @DisplayName("missing permissions are 403 problem+json, and nothing changes")
    void missingPermissionIs403() {
        String readonlyToken = userWithRole("readonly");

        http.get().uri("/api/v1/users").headers(h -> h.setBearerAuth(readonlyToken)).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.forbidden");
        createUser(readonlyToken, "sneaky@" + tenant + ".test", Set.of()).expectStatus().isForbidden();
        assertThat(userCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("nobody grants what they do not hold: an admin cannot make anyone owner")
    void noPrivilegeEscalation() {
        String adminToken = userWithRole("admin");
        UUID owner = roleId(ownerToken, "owner");

        createUser(adminToken, "wannabe@" + tenant + ".test", Set.of(owner))
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/role.not_grantable");
        String billingLeadToken = userWithRole("billing");
        http.post().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "auditor", "permissions", List.of("audit:read"))).exchange()
                .expectStatus().isCreated();
        assertThat(userCount()).isEqualTo(3);
        assertThat(billingLeadToken).isNotBlank();
    }

    @Test
    @DisplayName("the last active owner cannot be disabled or demoted")
    void lastOwnerStays() {
        Map<?, ?> me = me(ownerToken);
        UUID ownerId = UUID.fromString((String) me.get("userId"));

        http.put().uri("/api/v1/users/{id}/status", ownerId).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", "disabled", "version", 0)).exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/user.last_owner");
        http.put().uri("/api/v1/users/{id}/roles", ownerId).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("roleIds", List.of(), "version", 0)).exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
    }

    @Test
    @DisplayName("a weak or breached password is refused with the field named")
    void passwordPolicy() {
        for (String weak : List.of("short", "qwertyuiop123", "Password1234")) {
            http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("email", "weak@" + tenant + ".test", "password", weak)).exchange()
                    .expectStatus().isBadRequest()
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/user.weak_password")
                    .jsonPath("$.errors[0].field").isEqualTo("password");
        }
        assertThat(userCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("built-in roles cannot change; custom roles carry only known permissions and go only when unused")
    void roleRules() {
        UUID support = roleId(ownerToken, "support");
        http.put().uri("/api/v1/roles/{id}", support).headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("permissions", List.of("user:write"), "version", 0)).exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/role.built_in");

        http.post().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "strange", "permissions", List.of("rocket:launch"))).exchange()
                .expectStatus().isBadRequest();

        Map<?, ?> custom = http.post().uri("/api/v1/roles").headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "night-shift", "permissions", List.of("ticket:read", "ticket:write"))).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        UUID customId = UUID.fromString((String) custom.get("id"));
        createUser(ownerToken, "night@" + tenant + ".test", Set.of(customId)).expectStatus().isCreated();

        http.delete().uri("/api/v1/roles/{id}", customId).headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/role.in_use");
    }

    @Test
    @DisplayName("another tenant's user and role ids are 404 for every route, and nothing of theirs changes")
    void crossTenantIdsAreNotFound() {
        String otherTenant = newTenant(bootstrap, PASSWORD);
        String otherToken = accessToken(http, otherTenant, "owner@" + otherTenant + ".test", PASSWORD);
        UUID victimUser = UUID.fromString((String) me(ownerToken).get("userId"));
        UUID victimRole = roleId(ownerToken, "support");
        UUID otherTenantsRole = roleId(otherToken, "support");

        List<WebTestClient.RequestHeadersSpec<?>> attempts = List.of(
                http.get().uri("/api/v1/users/{id}", victimUser),
                http.put().uri("/api/v1/users/{id}/roles", victimUser).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("roleIds", List.of(otherTenantsRole), "version", 0)),
                http.put().uri("/api/v1/users/{id}/status", victimUser).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("status", "disabled", "version", 0)),
                http.get().uri("/api/v1/roles/{id}", victimRole),
                http.put().uri("/api/v1/roles/{id}", victimRole).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("permissions", List.of("ticket:read"), "version", 0)),
                http.delete().uri("/api/v1/roles/{id}", victimRole));
        for (WebTestClient.RequestHeadersSpec<?> attempt : attempts) {
            attempt.headers(h -> h.setBearerAuth(otherToken)).exchange()
                    .expectStatus().isNotFound()
                    .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).doesNotContain(tenant));
        }
        // Granting one's own tenant's user a role of the other tenant fails too.
        UUID otherOwner = UUID.fromString((String) me(otherToken).get("userId"));
        http.put().uri("/api/v1/users/{id}/roles", otherOwner).headers(h -> h.setBearerAuth(otherToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("roleIds", List.of(victimRole, otherTenantsRole), "version", 0)).exchange()
                .expectStatus().isBadRequest();

        http.get().uri("/api/v1/users/{id}", victimUser).headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("active").jsonPath("$.version").isEqualTo(0);
        http.get().uri("/api/v1/users").headers(h -> h.setBearerAuth(otherToken)).exchange()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    @DisplayName("row-level security is the second wall: a query without a tenant filter still sees one tenant only")
    void rowLevelSecurity() {
        String otherTenant = newTenant(bootstrap, PASSWORD);
        TenantId mine = new TenantId(UUID.fromString((String) me(ownerToken).get("tenantId")));

        Long visibleToMine = TenantContext.within(mine, unitOfWork.inTransaction(() ->
                database.sql("SELECT count(*) AS n FROM app_user").map(row -> row.get("n", Long.class)).one()))
                .block(Duration.ofSeconds(10));
        Long visibleWithoutTenant = unitOfWork.inTransaction(() ->
                database.sql("SELECT count(*) AS n FROM app_user").map(row -> row.get("n", Long.class)).one())
                .block(Duration.ofSeconds(10));
        Throwable insertIntoOther = TenantContext.within(mine, unitOfWork.inTransaction(() -> database.sql("""
                        INSERT INTO role (id, tenant_id, name, permissions, built_in, created_at)
                        SELECT gen_random_uuid(), id, 'planted', '{}', false, now() FROM tenant WHERE slug = :slug
                        """).bind("slug", otherTenant).fetch().rowsUpdated()))
                .then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(Duration.ofSeconds(10));

        assertThat(visibleToMine).isEqualTo(1);
        assertThat(visibleWithoutTenant).isZero();
        assertThat(insertIntoOther).isNotNull().hasMessageContaining("row-level security");
    }

    @Test
    @DisplayName("users are listed with cursor pagination")
    void cursorPagination() {
        for (int i = 0; i < 4; i++) {
            createUser(ownerToken, "u" + i + "@" + tenant + ".test", Set.of()).expectStatus().isCreated();
        }
        Map<?, ?> first = http.get().uri("/api/v1/users?limit=2").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> second = http.get().uri("/api/v1/users?limit=2&after={c}", first.get("nextCursor"))
                .headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> third = http.get().uri("/api/v1/users?limit=2&after={c}", second.get("nextCursor"))
                .headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat((List<?>) first.get("items")).hasSize(2);
        assertThat((List<?>) second.get("items")).hasSize(2);
        assertThat((List<?>) third.get("items")).hasSize(1);
        assertThat(third.get("nextCursor")).isNull();
        http.get().uri("/api/v1/users?limit=500").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isBadRequest();
    }

    private String userWithRole(String roleName) {
        String email = roleName + "-" + UUID.randomUUID().toString().substring(0, 6) + "@" + tenant + ".test";
        createUser(ownerToken, email, Set.of(roleId(ownerToken, roleName))).expectStatus().isCreated();
        return accessToken(http, tenant, email, PASSWORD);
    }

    private WebTestClient.ResponseSpec createUser(String token, String email, Set<UUID> roles) {
        return http.post().uri("/api/v1/users").headers(h -> h.setBearerAuth(token)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", PASSWORD, "roleIds", roles)).exchange();
    }

    private UUID roleId(String token, String name) {
        List<?> roles = http.get().uri("/api/v1/roles").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
        return roles.stream().map(Map.class::cast).filter(role -> name.equals(role.get("name")))
                .map(role -> UUID.fromString((String) role.get("id"))).findFirst().orElseThrow();
    }

    private Map<?, ?> me(String token) {
        return http.get().uri("/api/v1/auth/me").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private long userCount() {
        Map<?, ?> page = http.get().uri("/api/v1/users?limit=200").headers(h -> h.setBearerAuth(ownerToken)).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<?>) page.get("items")).size();
    }
}
