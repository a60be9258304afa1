package io.hostrail.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.api.support.ProbeController;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;

/** Every error the framework can produce is RFC 9457 problem+json, with a stable type and no internals. */
@HostrailIntegrationTest
class HttpErrorsIT {

    private static final String PROBLEMS = "https://hostrail.io/problems/";

    @Autowired WebTestClient http;

    @Test
    @DisplayName("unknown route: 404 problem")
    void unknownRouteIs404() {
        http.get().uri("/test/no-such-thing").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "not_found")
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.title").isEqualTo("Not found")
                .jsonPath("$.instance").isEqualTo("/test/no-such-thing")
                .jsonPath("$.requestId").isNotEmpty();
    }

    @Test
    @DisplayName("wrong method: 405 problem with an Allow header")
    void wrongMethodIs405() {
        http.delete().uri("/test/probe/orders").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Allow", "POST")
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "method_not_allowed")
                .jsonPath("$.detail").isEqualTo("Method DELETE is not allowed here; allowed: POST.");
    }

    @Test
    @DisplayName("unsupported media type: 415 problem naming what is accepted")
    void unsupportedMediaTypeIs415() {
        http.post().uri("/test/probe/orders").contentType(MediaType.TEXT_PLAIN).bodyValue("customer=acme").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "unsupported_media_type")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("application/json"));
    }

    @Test
    @DisplayName("malformed JSON: 400 problem that does not echo parser internals")
    void malformedJsonIs400() {
        http.post().uri("/test/probe/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"customer\": \"acme\", \"lines\": [").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "malformed_request")
                .jsonPath("$.detail").isEqualTo("The request body is not valid JSON.");
    }

    @Test
    @DisplayName("a field of the wrong type: 400 problem naming the field")
    void wrongTypeNamesTheField() {
        http.post().uri("/test/probe/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"customer": "acme", "email": "a@acme.test", "lines": [{"sku": "x", "quantity": "many"}]}
                        """).exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "validation")
                .jsonPath("$.errors[0].field").isEqualTo("lines[0].quantity")
                .jsonPath("$.errors[0].message").isEqualTo("has the wrong type or format");
    }

    @Test
    @DisplayName("validation: 400 problem with one entry per invalid field")
    void validationListsEveryField() {
        http.post().uri("/test/probe/orders").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"customer": " ", "email": "not-an-email", "lines": [{"sku": "x", "quantity": 0}]}
                        """).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(Map.class)
                .value(problem -> {
                    assertThat(problem.get("type")).isEqualTo(PROBLEMS + "validation");
                    @SuppressWarnings("unchecked")
                    List<Map<String, String>> errors = (List<Map<String, String>>) problem.get("errors");
                    assertThat(errors).extracting(error -> error.get("field"))
                            .containsExactlyInAnyOrder("customer", "email", "lines[0].quantity");
                    assertThat(errors).allSatisfy(error -> assertThat(error.get("message")).isNotBlank());
                });
    }

    @Test
    @DisplayName("validation messages need no I/O whatever the caller's language")
    void validationInAnotherLanguage() {
        http.post().uri("/test/probe/orders").contentType(MediaType.APPLICATION_JSON).header("Accept-Language", "fr-CH")
                .bodyValue("""
                        {"customer": "acme", "email": "a@acme.test", "lines": []}
                        """).exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("lines")
                .jsonPath("$.errors[0].message").isEqualTo("must not be empty");
    }

    @Test
    @DisplayName("missing body: 400 problem")
    void missingBodyIs400() {
        http.post().uri("/test/probe/orders").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "malformed_request")
                .jsonPath("$.detail").isEqualTo("A request body is required.");
    }

    @Test
    @DisplayName("body over the limit with a Content-Length: 413 before it is read")
    void declaredOversizeBodyIs413() {
        byte[] body = oversizedJson();
        http.post().uri("/test/probe/orders").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "request_too_large")
                .jsonPath("$.status").isEqualTo(413);
    }

    @Test
    @DisplayName("chunked body over the limit: 413 once the limit is crossed")
    void chunkedOversizeBodyIs413() {
        byte[] body = oversizedJson();
        Flux<DataBuffer> chunks = Flux.range(0, body.length / 4096 + 1)
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(
                        Arrays.copyOfRange(body, i * 4096, Math.min(body.length, (i + 1) * 4096))));
        http.post().uri("/test/probe/orders").contentType(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromDataBuffers(chunks)).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "request_too_large");
    }

    @Test
    @DisplayName("an unexpected failure: 500 problem without message or stack trace")
    void unexpectedFailureLeaksNothing() {
        String body = http.get().uri("/test/probe/boom").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains(PROBLEMS + "internal_error").contains("requestId")
                .doesNotContain("hunter2").doesNotContain("secret").doesNotContain("IllegalStateException")
                .doesNotContain("at io.hostrail").doesNotContain("trace");
    }

    @Test
    @DisplayName("a domain error: its stable code becomes the problem type, its kind the status")
    void domainErrorMapsThroughTheCatalog() {
        http.get().uri("/test/probe/missing-invoice").exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.type").isEqualTo(PROBLEMS + "invoice.not_found")
                .jsonPath("$.code").isEqualTo("invoice.not_found")
                .jsonPath("$.detail").isEqualTo("Invoice INV-9 does not exist.");
    }

    @Test
    @DisplayName("the caller's request id is echoed and put in the problem; a malformed one is replaced")
    void requestIdIsEchoedOrReplaced() {
        http.get().uri("/test/no-such-thing").header("X-Request-Id", "support-ticket-42").exchange()
                .expectHeader().valueEquals("X-Request-Id", "support-ticket-42")
                .expectBody().jsonPath("$.requestId").isEqualTo("support-ticket-42");

        String replaced = http.get().uri("/test/no-such-thing").header("X-Request-Id", "<script>alert(1)</script>")
                .exchange().returnResult(String.class).getResponseHeaders().getFirst("X-Request-Id");
        assertThat(replaced).matches("[0-9a-f-]{36}");
    }

    @Test
    @DisplayName("the request id reaches log lines written on another thread")
    void requestIdTravelsIntoLogsAcrossThreads() {
        Logger probeLogger = (Logger) LoggerFactory.getLogger(ProbeController.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        probeLogger.addAppender(captured);
        try {
            http.get().uri("/test/probe/log-after-hop").header("X-Request-Id", "trace-me-7").exchange()
                    .expectStatus().isOk();
        } finally {
            probeLogger.detachAppender(captured);
        }
        assertThat(captured.list).singleElement().satisfies(event -> {
            assertThat(event.getThreadName()).startsWith("boundedElastic");
            assertThat(event.getMDCPropertyMap()).containsEntry("requestId", "trace-me-7");
        });
    }

    private static byte[] oversizedJson() {
        String padding = "x".repeat(70 * 1024);
        return ("{\"customer\": \"" + padding + "\", \"email\": \"a@acme.test\", \"lines\": []}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
