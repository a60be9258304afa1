package io.hostrail.api.support;

import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.identity.service.TenantBootstrap.NewTenant;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Test helpers for signing in through the API and making tenants of one's own. */
public final class Identities {

    public static final String DEMO_TENANT = "demo";
    public static final String DEMO_OWNER = "owner@example.com";
    public static final String DEMO_PASSWORD = "correct horse battery staple";

    private Identities() {
    }

    /** A fresh tenant with its owner, so a test's data never meets another test's. */
    public static String newTenant(TenantBootstrap bootstrap, String ownerPassword) {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 12);
        bootstrap.create(new NewTenant(slug, "Tenant " + slug, "owner@" + slug + ".test", ownerPassword))
                .block(Duration.ofSeconds(20));
        return slug;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> login(WebTestClient http, String tenant, String email, String password) {
        return http.post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant", tenant, "email", email, "password", password))
                .exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    public static String accessToken(WebTestClient http, String tenant, String email, String password) {
        return (String) login(http, tenant, email, password).get("accessToken");
    }
}
