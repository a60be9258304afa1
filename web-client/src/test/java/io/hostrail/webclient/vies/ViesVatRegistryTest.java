package io.hostrail.webclient.vies;

import static io.hostrail.webclient.vies.FakeViesServer.INVALID;
import static io.hostrail.webclient.vies.FakeViesServer.VALID;
import static io.hostrail.webclient.vies.FakeViesServer.error;
import static io.hostrail.webclient.vies.FakeViesServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.model.VatCheckOutcome;
import io.hostrail.customer.model.VatCheckOutcome.Invalid;
import io.hostrail.customer.model.VatCheckOutcome.Unavailable;
import io.hostrail.customer.model.VatCheckOutcome.Valid;
import io.hostrail.shared.time.SettableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The VIES client against a fake VIES speaking the REST API's wire format, in this JVM. */
class ViesVatRegistryTest {

    private static final TaxId FRENCH = new TaxId("FR40303265045");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeViesServer vies = new FakeViesServer();
    private final SettableClock clock = SettableClock.at("2026-03-02T09:00:00Z");

    @AfterEach
    void stop() {
        vies.close();
    }

    /**
     * Three attempts, 10 ms apart at first; a timeout generous enough for a busy machine's first call; two calls at
     * once; a breaker that opens when half of the last four calls failed, for 30 s of the settable clock.
     */
    private ViesVatRegistry registry(URI baseUrl, Duration timeout, int maxAttempts, int breakerWindow) {
        return new ViesVatRegistry(WebClient.builder(), new ViesSettings(baseUrl, Duration.ofSeconds(2), timeout,
                maxAttempts, Duration.ofMillis(10), 2, 50, breakerWindow, breakerWindow, Duration.ofSeconds(30), 1), clock);
    }

    /** As above, with a breaker that the tests of other things never open. */
    private ViesVatRegistry registry() {
        return registry(vies.baseUrl(), Duration.ofSeconds(5), 3, 100);
    }

    @Test
    @DisplayName("a registered number is valid, with the name, the address and VIES's time of the answer")
    void valid() {
        StepVerifier.create(registry().check(FRENCH))
                .as("the answer to a registered number")
                .expectNext(new Valid("SA ODIGEO", "1 RUE DU TEST\n75001 PARIS", Instant.parse("2026-03-02T10:15:30.123Z")))
                .verifyComplete();
        assertThat(vies.requests()).singleElement().asString()
                .contains("\"countryCode\":\"FR\"").contains("\"vatNumber\":\"40303265045\"");
    }

    @Test
    @DisplayName("an unregistered number is invalid; a date without a time is dated by our clock")
    void invalid() {
        vies.replies(INVALID);
        StepVerifier.create(registry().check(new TaxId("DE000000000")))
                .expectNext(new Invalid(clock.instant()))
                .verifyComplete();
    }

    @Test
    @DisplayName("a Greek number is asked for with VIES's code EL, and the GET form's isValid is understood")
    void greece() {
        vies.replies(json(200, "{\"isValid\":true,\"userError\":\"VALID\",\"name\":\"---\",\"address\":\"---\","
                + "\"requestDate\":\"2026-03-02T11:00:00Z\"}"));
        StepVerifier.create(registry().check(new TaxId("EL094259216")))
                .expectNext(new Valid(null, null, Instant.parse("2026-03-02T11:00:00Z")))
                .verifyComplete();
        assertThat(vies.requests()).singleElement().asString()
                .contains("\"countryCode\":\"EL\"").contains("\"vatNumber\":\"094259216\"");
    }

    @Test
    @DisplayName("a member state that stays unavailable is retried, then unavailable, never invalid; the breaker stays closed")
    void memberStateUnavailable() {
        vies.replies(error("MS_UNAVAILABLE"), error("MS_UNAVAILABLE"), error("MS_UNAVAILABLE"));
        ViesVatRegistry registry = registry();
        StepVerifier.create(registry.check(FRENCH))
                .expectNext(new Unavailable("MS_UNAVAILABLE"))
                .verifyComplete();
        assertThat(vies.requests()).as("attempts").hasSize(3);
        assertThat(registry.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    @DisplayName("a member state that comes back during the retries gives its answer")
    void memberStateBack() {
        vies.replies(error("MS_MAX_CONCURRENT_REQ"), VALID);
        StepVerifier.create(registry().check(FRENCH))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Valid.class))
                .verifyComplete();
        assertThat(vies.requests()).hasSize(2);
    }

    @Test
    @DisplayName("valid: false with a userError is no answer about the number")
    void userErrorIsNotInvalid() {
        vies.replies(json(200, "{\"valid\":false,\"userError\":\"MS_UNAVAILABLE\"}"),
                json(200, "{\"valid\":false,\"userError\":\"MS_UNAVAILABLE\"}"),
                json(200, "{\"valid\":false,\"userError\":\"MS_UNAVAILABLE\"}"));
        StepVerifier.create(registry().check(FRENCH))
                .expectNext(new Unavailable("MS_UNAVAILABLE"))
                .verifyComplete();
    }

    @Test
    @DisplayName("a refused request (INVALID_INPUT, a 4xx) is unavailable at once, without retrying or counting as a failure")
    void refusals() {
        vies.replies(json(400, "{\"actionSucceed\":false,\"errorWrappers\":[{\"error\":\"INVALID_INPUT\"}]}"),
                json(404, "not here"));
        ViesVatRegistry registry = registry();
        StepVerifier.create(registry.check(FRENCH)).expectNext(new Unavailable("INVALID_INPUT")).verifyComplete();
        StepVerifier.create(registry.check(FRENCH)).expectNext(new Unavailable("HTTP_404")).verifyComplete();
        assertThat(vies.requests()).hasSize(2);
        assertThat(registry.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    @DisplayName("a 500 is retried; one that persists is unavailable")
    void serverErrors() {
        vies.replies(json(500, "<html>oops</html>"), VALID);
        ViesVatRegistry registry = registry();
        StepVerifier.create(registry.check(FRENCH))
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Valid.class))
                .verifyComplete();

        vies.replies(json(503, ""), json(500, "{\"actionSucceed\":false}"), error("SERVICE_UNAVAILABLE"));
        StepVerifier.create(registry.check(FRENCH))
                .expectNext(new Unavailable("SERVICE_UNAVAILABLE"))
                .verifyComplete();
        assertThat(vies.requests()).hasSize(5);
    }

    @Test
    @DisplayName("an answer slower than the timeout is unavailable")
    void slowAnswer() {
        vies.replies(VALID.after(Duration.ofSeconds(5)), VALID.after(Duration.ofSeconds(5)), VALID.after(Duration.ofSeconds(5)));
        StepVerifier.create(registry(vies.baseUrl(), Duration.ofMillis(800), 3, 100).check(FRENCH))
                .expectNext(new Unavailable("CLIENT_TIMEOUT"))
                .verifyComplete();
        assertThat(vies.requests()).as("attempts").hasSize(3);
    }

    @Test
    @DisplayName("a refused connection is unavailable")
    void connectionRefused() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        StepVerifier.create(registry(URI.create("http://127.0.0.1:" + closedPort + "/rest-api"), Duration.ofSeconds(5), 3, 100)
                        .check(FRENCH))
                .expectNext(new Unavailable("CONNECTION_FAILED"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    @DisplayName("failures open the breaker, which then answers unavailable without calling; after the wait one trial call closes it")
    void circuitBreaker() {
        ViesVatRegistry registry = registry(vies.baseUrl(), Duration.ofSeconds(5), 1, 4);
        vies.replies(json(500, ""), json(500, ""), json(500, ""), VALID);
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(registry.check(FRENCH)).as("call " + i).expectNextCount(1).verifyComplete();
        }
        assertThat(registry.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        StepVerifier.create(registry.check(FRENCH))
                .as("while open")
                .expectNext(new Unavailable("CIRCUIT_OPEN"))
                .verifyComplete();
        assertThat(vies.requests()).as("calls that reached VIES").hasSize(4);

        clock.advance(Duration.ofSeconds(31));
        vies.replies(json(500, ""));
        StepVerifier.create(registry.check(FRENCH)).as("a failing trial call").expectNext(new Unavailable("HTTP_500"))
                .verifyComplete();
        assertThat(registry.circuitBreaker().getState()).as("after a failed trial").isEqualTo(CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofSeconds(31));
        StepVerifier.create(registry.check(FRENCH))
                .as("the trial call after the next wait")
                .assertNext(outcome -> assertThat(outcome).isInstanceOf(Valid.class))
                .verifyComplete();
        assertThat(registry.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    @DisplayName("checks beyond the bulkhead's concurrent calls are unavailable at once")
    void bulkhead() {
        vies.replies(VALID.after(Duration.ofMillis(300)), VALID.after(Duration.ofMillis(300)));
        ViesVatRegistry registry = registry();
        Mono<VatCheckOutcome> late = Mono.delay(Duration.ofMillis(100)).then(registry.check(FRENCH));
        StepVerifier.create(Mono.zip(registry.check(FRENCH), registry.check(FRENCH), late))
                .assertNext(outcomes -> {
                    assertThat(outcomes.getT1()).isInstanceOf(Valid.class);
                    assertThat(outcomes.getT2()).isInstanceOf(Valid.class);
                    assertThat(outcomes.getT3()).isEqualTo(new Unavailable("BULKHEAD_FULL"));
                })
                .verifyComplete();
        assertThat(registry.circuitBreaker().getMetrics().getNumberOfFailedCalls()).as("a full bulkhead is no VIES failure")
                .isZero();
    }

    @Test
    @DisplayName("a number that is not an EU VAT number is refused before any call")
    void notEuVat() {
        StepVerifier.create(registry().check(new TaxId("EIN123456"))).expectError(IllegalArgumentException.class).verify();
        assertThat(vies.requests()).isEmpty();
    }
}
