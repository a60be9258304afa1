package io.hostrail.api.support;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The EU's VIES REST API in the test JVM, on a free port, started on first use and stopped when the JVM exits. It
 * speaks the documented wire format: {@code POST .../check-vat-number} with {@code {countryCode, vatNumber}},
 * answered with {@code {valid, name, address, requestDate, ...}} or with {@code {actionSucceed: false,
 * errorWrappers: [{error}]}}.
 *
 * <p>Every number is registered, except {@link #UNREGISTERED} and the numbers a test gives another {@link Answer}
 * with {@link #answer}. Tests use numbers of their own, so scripted answers never reach another test.
 */
public final class FakeVies {

    /** The one number VIES answers as not registered, unless a test scripts more. */
    public static final String UNREGISTERED = "DE000000000";

    public enum Answer { VALID, INVALID, MS_UNAVAILABLE, SERVER_ERROR }

    /** One request as VIES received it: the VAT prefix as VIES's country code ({@code EL} for Greece) and the rest. */
    public record Request(String countryCode, String vatNumber) {
    }

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>(Map.of(UNREGISTERED, Answer.INVALID));
    private static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
    private static DisposableServer server;

    private FakeVies() {
    }

    /** How VIES answers for {@code vatNumber} (with its prefix) from now on. */
    public static void answer(String vatNumber, Answer answer) {
        ANSWERS.put(vatNumber, answer);
    }

    /** The requests received for {@code vatNumber} (with its prefix), oldest first. */
    public static List<Request> requestsFor(String vatNumber) {
        return REQUESTS.stream().filter(r -> (r.countryCode() + r.vatNumber()).equals(vatNumber)).toList();
    }

    public static synchronized URI baseUrl() {
        if (server == null) {
            server = HttpServer.create().host("127.0.0.1").port(0)
                    .route(routes -> routes.post("/taxation_customs/vies/rest-api/check-vat-number", (request, response) ->
                            request.receive().aggregate().asString().flatMap(body -> {
                                JsonNode json = JSON.readTree(body);
                                Request received = new Request(json.path("countryCode").asString(),
                                        json.path("vatNumber").asString());
                                REQUESTS.add(received);
                                String number = received.countryCode() + received.vatNumber();
                                Answer answer = ANSWERS.getOrDefault(number, Answer.VALID);
                                return response.status(answer == Answer.SERVER_ERROR ? 500 : 200)
                                        .header("Content-Type", "application/json")
                                        .sendString(Mono.just(body(answer, received))).then();
                            })))
                    .bindNow(Duration.ofSeconds(10));
            DisposableServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::disposeNow, "fake-vies-shutdown"));
        }
        return URI.create("http://127.0.0.1:" + server.port() + "/taxation_customs/vies/rest-api");
    }

    private static String body(Answer answer, Request request) {
        return switch (answer) {
            case VALID -> JSON.writeValueAsString(Map.of("countryCode", request.countryCode(), "vatNumber",
                    request.vatNumber(), "requestDate", "2026-03-02T10:15:30.123Z", "valid", true,
                    "name", "TRADER " + request.countryCode() + request.vatNumber(), "address", "1 TEST STREET",
                    "requestIdentifier", ""));
            case INVALID -> JSON.writeValueAsString(Map.of("countryCode", request.countryCode(), "vatNumber",
                    request.vatNumber(), "requestDate", "2026-03-02T10:15:30.123Z", "valid", false,
                    "name", "---", "address", "---"));
            case MS_UNAVAILABLE -> "{\"actionSucceed\":false,\"errorWrappers\":[{\"error\":\"MS_UNAVAILABLE\","
                    + "\"message\":\"The member state's service is unavailable\"}]}";
            case SERVER_ERROR -> "{\"actionSucceed\":false}";
        };
    }

    /** Points {@code hostrail.test.fake-vies-url}, which the test profile's {@code hostrail.vies.base-url} names, here. */
    public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("fakeVies",
                    Map.of("hostrail.test.fake-vies-url", baseUrl().toString())));
        }
    }
}
