package io.hostrail.webclient.vies;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * VIES's REST API in the test JVM, on a free port, under the official path: {@code POST /check-vat-number} answers
 * the replies scripted with {@link #replies}, in order, then {@link #VALID} to everything. It keeps each request body.
 */
final class FakeViesServer implements AutoCloseable {

    static final String PATH = "/taxation_customs/vies/rest-api";

    record Reply(int status, String body, Duration delay) {

        Reply after(Duration wait) {
            return new Reply(status, body, wait);
        }
    }

    /** As VIES answers for a registered number (the request date as it sends it, with a time). */
    static final Reply VALID = json(200, """
            {"countryCode":"FR","vatNumber":"40303265045","requestDate":"2026-03-02T10:15:30.123Z","valid":true,
             "requestIdentifier":"","name":"SA ODIGEO","address":"1 RUE DU TEST\\n75001 PARIS","traderName":"---"}""");
    /** Not registered; this member state gives the date without a time. */
    static final Reply INVALID = json(200, """
            {"countryCode":"DE","vatNumber":"000000000","requestDate":"2026-03-02+01:00","valid":false,
             "name":"---","address":"---"}""");

    static Reply error(String code) {
        return json(200, "{\"actionSucceed\":false,\"errorWrappers\":[{\"error\":\"" + code + "\",\"message\":\"\"}]}");
    }

    static Reply json(int status, String body) {
        return new Reply(status, body, Duration.ZERO);
    }

    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    FakeViesServer() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post(PATH + "/check-vat-number", (request, response) -> request.receive()
                        .aggregate().asString().defaultIfEmpty("")
                        .flatMap(body -> {
                            requests.add(body);
                            Reply reply = script.poll();
                            Reply answer = reply == null ? VALID : reply;
                            return Mono.delay(answer.delay()).then(response.status(answer.status())
                                    .header("Content-Type", "application/json")
                                    .sendString(Mono.just(answer.body())).then());
                        })))
                .bindNow();
    }

    FakeViesServer replies(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port() + PATH);
    }

    List<String> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
