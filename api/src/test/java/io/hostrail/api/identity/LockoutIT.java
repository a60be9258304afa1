package io.hostrail.api.identity;

import static io.hostrail.api.support.Identities.accessToken;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Sign-in brute force: held back progressively, then locked; the same whether or not the account exists. */
@HostrailIntegrationTest
class LockoutIT {

    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired DatabaseClient database;

    private String tenant;
    private String owner;

    @BeforeEach
    void freshTenant() {
        tenant = newTenant(bootstrap, PASSWORD);
        owner = "owner@" + tenant + ".test";
    }

    @Test
    @DisplayName("ten failures lock the account: even the right password then gets 429 with Retry-After")
    void tenFailuresLock() {
        for (int i = 0; i < 10; i++) {
            login(owner, "wrong password " + i).expectStatus().isUnauthorized();
        }
        login(owner, PASSWORD)
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().value("Retry-After", retry -> assertThat(Long.parseLong(retry)).isBetween(800L, 900L))
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://hostrail.io/problems/auth.locked");
    }

    @Test
    @DisplayName("a lockout is audited and announced as an auth.lockout event")
    void lockoutIsAuditedAndAnnounced() {
        String ownerToken = accessToken(http, tenant, owner, PASSWORD);
        String target = "someone@" + tenant + ".test";
        for (int i = 0; i < 10; i++) {
            login(target, "guess " + i).expectStatus().isUnauthorized();
        }

        String trail = http.get().uri("/api/v1/audit?action=auth.locked_out").headers(h -> h.setBearerAuth(ownerToken))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(trail).contains(target);
        Long events = database.sql("""
                        SELECT count(*) AS n FROM outbox
                        WHERE event_type = 'auth.lockout' AND envelope -> 'data' ->> 'email' = :email
                        """)
                .bind("email", target).map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(10));
        assertThat(events).isEqualTo(1);
    }

    @Test
    @DisplayName("an email with no account locks exactly like a real one: lockouts reveal nobody")
    void unknownAccountsLockAlike() {
        String nobody = "nobody@" + tenant + ".test";
        for (int i = 0; i < 10; i++) {
            login(nobody, "guess " + i).expectStatus().isUnauthorized();
        }
        login(nobody, "guess 11").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    @DisplayName("a successful sign-in clears the count")
    void successResets() {
        for (int i = 0; i < 9; i++) {
            login(owner, "wrong " + i).expectStatus().isUnauthorized();
        }
        login(owner, PASSWORD).expectStatus().isOk();
        for (int i = 0; i < 9; i++) {
            login(owner, "wrong again " + i).expectStatus().isUnauthorized();
        }
        login(owner, PASSWORD).expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec login(String email, String password) {
        return http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant", tenant, "email", email, "password", password)).exchange();
    }
}
