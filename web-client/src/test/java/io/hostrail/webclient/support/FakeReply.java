package io.hostrail.webclient.support;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * One scripted answer of a fake provider: a JSON body with a status, sent after a delay or once a gate opens; or the
 * connection reset with no answer at all.
 */
public record FakeReply(int status, String body, Duration delay, Mono<Void> gate, boolean reset) {

    public static FakeReply json(int status, String body) {
        return new FakeReply(status, body, Duration.ZERO, Mono.empty(), false);
    }

    /** The connection reset (TCP RST) as soon as the request is read. */
    public static FakeReply connectionReset() {
        return new FakeReply(0, "", Duration.ZERO, Mono.empty(), true);
    }

    public FakeReply after(Duration wait) {
        return new FakeReply(status, body, wait, gate, reset);
    }

    /** Answered only when {@code opens} completes: holds a call in flight for as long as a test needs. */
    public FakeReply heldUntil(Mono<Void> opens) {
        return new FakeReply(status, body, delay, opens, reset);
    }

    public Mono<Void> send(HttpServerRequest request, HttpServerResponse response) {
        if (reset) {
            return response.withConnection(connection -> {
                connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                connection.channel().close();
            }).then();
        }
        return gate.then(Mono.delay(delay)).then(response.status(status)
                .header("Content-Type", "application/json")
                .sendString(Mono.just(body)).then());
    }
}
