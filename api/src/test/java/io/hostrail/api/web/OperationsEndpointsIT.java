package io.hostrail.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.support.HostrailIntegrationTest;
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
        String metrics = http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds")
                .contains("application=\"hostrail\"");
    }

    @Test
    @DisplayName("OpenAPI 3.1 is served")
    void openApiDocument() {
        http.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.openapi").value(version -> assertThat((String) version).startsWith("3.1"))
                .jsonPath("$.info.title").isEqualTo("Hostrail API")
                .jsonPath("$.info.version").isEqualTo("v1");
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
