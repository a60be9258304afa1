package io.hostrail.api.security;

import io.hostrail.api.support.HostrailIntegrationTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Browser-facing protections: security headers on every answer, CORS only for configured SPA origins. */
@HostrailIntegrationTest
class SecurityHeadersIT {

    @Autowired WebTestClient http;

    @Test
    @DisplayName("every answer forbids framing, sniffing, referrers and foreign scripts")
    void securityHeaders() {
        for (String path : new String[] {"/api/v1/users", "/actuator/health", "/swagger-ui/index.html"}) {
            http.get().uri(path).exchange()
                    .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                    .expectHeader().valueMatches("Content-Security-Policy", ".*default-src 'none'.*frame-ancestors 'none'.*");
        }
    }

    @Test
    @DisplayName("a configured SPA origin may call the API across origins; any other origin may not")
    void cors() {
        http.options().uri("/api/v1/users")
                .header(HttpHeaders.ORIGIN, "https://console.example.test")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://console.example.test");
        http.options().uri("/api/v1/users")
                .header(HttpHeaders.ORIGIN, "https://evil.example.test")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }
}
