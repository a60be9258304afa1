package io.hostrail.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.LargeResponses;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What operators and integrators rely on from the first day: health, metrics, the API contract. */
@HostrailIntegrationTest
class OperationsEndpointsIT {

    @Autowired WebTestClient http;

    @Test
    @DisplayName("health is UP and covers PostgreSQL, Kafka and Redis")
    void healthCoversEveryServer() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.kafka.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
    }

    @Test
    @DisplayName("readiness checks the servers; liveness does not, so an outage never restarts the app")
    void readinessAndLivenessGroups() {
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc").exists()
                .jsonPath("$.components.kafka").exists()
                .jsonPath("$.components.redis").exists()
                .jsonPath("$.components.readinessState").exists();
        http.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.livenessState").exists()
                .jsonPath("$.components.r2dbc").doesNotExist()
                .jsonPath("$.components.kafka").doesNotExist();
    }

    @Test
    @DisplayName("Prometheus metrics are exposed")
    void prometheusMetrics() {
        http.get().uri("/test/warm-up-for-metrics").exchange().expectStatus().isNotFound();
        String metrics = LargeResponses.client(http).get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds")
                .contains("application=\"hostrail\"");
    }

    @Test
    @DisplayName("OpenAPI 3.1 is served")
    void openApiDocument() {
        LargeResponses.client(http).get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.openapi").value(version -> assertThat((String) version).startsWith("3.1"))
                .jsonPath("$.info.title").isEqualTo("Hostrail API")
                .jsonPath("$.info.version").isEqualTo("v1");
    }

    @Test
    @DisplayName("every API operation documents its problem+json errors and, unless public, its security")
    @SuppressWarnings("unchecked")
    void everyOperationDocumentsErrorsAndSecurity() {
        Map<String, Object> document = LargeResponses.client(http).get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) document.get("paths");
        List<String> publicOperations = List.of("/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout",
                "/api/v1/auth/password-reset");
        int checked = 0;
        for (var path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (var operation : path.getValue().entrySet()) {
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                Map<String, Object> responses = (Map<String, Object>) operation.getValue().get("responses");
                assertThat(responses).as(name).containsKeys("400", "401", "429", "500");
                Map<String, Object> badRequest = (Map<String, Object>) responses.get("400");
                assertThat((Map<String, Object>) badRequest.get("content")).as(name).containsKey("application/problem+json");
                if (!publicOperations.contains(path.getKey())) {
                    assertThat(operation.getValue().get("security")).as(name + " security").isNotNull();
                    assertThat(responses).as(name).containsKey("403");
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(15);
        assertThat(((Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas")))
                .containsKey("Problem");
        Map<String, Object> createUser = paths.get("/api/v1/users").get("post");
        assertThat((Map<String, Object>) createUser.get("responses")).containsKey("201");
    }

    @Test
    @DisplayName("Swagger UI is served")
    void swaggerUi() {
        http.get().uri("/swagger-ui.html").exchange()
                .expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", ".*/swagger-ui/index.html");
        String page = http.get().uri("/swagger-ui/index.html").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).containsIgnoringCase("swagger-ui");
    }
}
