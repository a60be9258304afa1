package io.hostrail.api.idempotency;

import io.hostrail.api.error.ProblemDetailsWebExceptionHandler;
import io.hostrail.api.security.HostrailAuthentication;
import io.hostrail.identity.model.Principal;
import io.hostrail.shared.idempotency.IdempotentRequests;
import io.hostrail.shared.idempotency.IdempotentRequests.Proceed;
import io.hostrail.shared.idempotency.IdempotentRequests.Replay;
import io.hostrail.shared.idempotency.IdempotentResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Honours {@code Idempotency-Key} on POSTs under {@code /api/v1} by authenticated callers: the first request under a
 * key runs and, if it succeeds, its answer is stored; the same request again is answered from the store with
 * {@code Idempotent-Replayed: true} and runs nothing. The rules are {@link IdempotentRequests}'.
 *
 * <p>The request is fingerprinted by method, path, query, content type and body, so the body is read here (bounded
 * by the request body limit) and handed on unchanged.
 */
public final class IdempotencyKeyFilter implements WebFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyFilter.class);

    private final IdempotentRequests requests;
    private final int maxBodyBytes;

    public IdempotencyKeyFilter(IdempotentRequests requests, int maxBodyBytes) {
        this.requests = requests;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String key = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (key == null || exchange.getRequest().getMethod() != HttpMethod.POST
                || !exchange.getRequest().getPath().value().startsWith("/api/v1/")) {
            return chain.filter(exchange);
        }
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(HostrailAuthentication.class::isInstance)
                .map(authentication -> Optional.of(((HostrailAuthentication) authentication).getPrincipal()))
                .defaultIfEmpty(Optional.empty())
                .flatMap(caller -> caller.map(principal -> idempotently(exchange, chain, principal, key))
                        .orElseGet(() -> chain.filter(exchange)));
    }

    private Mono<Void> idempotently(ServerWebExchange exchange, WebFilterChain chain, Principal caller, String key) {
        IdempotentRequests.requireValidKey(key);
        return DataBufferUtils.join(exchange.getRequest().getBody(), maxBodyBytes)
                .map(IdempotencyKeyFilter::drain)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> requests.begin(caller.tenant(), caller.userId(), key, fingerprint(exchange, body))
                        .flatMap(decision -> switch (decision) {
                            case Replay replay -> replay(exchange.getResponse(), replay.response());
                            case Proceed proceed -> run(exchange, chain, caller, key, body);
                        }));
    }

    private Mono<Void> run(ServerWebExchange exchange, WebFilterChain chain, Principal caller, String key, byte[] body) {
        ServerHttpResponse original = exchange.getResponse();
        AtomicBoolean settled = new AtomicBoolean();
        ServerHttpResponseDecorator response = new ServerHttpResponseDecorator(original) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> content) {
                return DataBufferUtils.join(Flux.from(content)).flatMap(joined -> {
                    byte[] bytes = new byte[joined.readableByteCount()];
                    joined.toByteBuffer(joined.readPosition(), ByteBuffer.wrap(bytes), 0, bytes.length);
                    // Kept before the answer leaves, so a retry right behind it is replayed rather than told to wait.
                    return settle(settled, caller, key, original, bytes).then(super.writeWith(Mono.just(joined)));
                });
            }
        };
        ServerHttpRequestDecorator request = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(original.bufferFactory().wrap(body)));
            }
        };
        Mono<Void> work = chain.filter(exchange.mutate().request(request).response(response).build())
                .then(Mono.defer(() -> settle(settled, caller, key, original, new byte[0])))
                .onErrorResume(error -> refusedUnchanged(error) && settled.compareAndSet(false, true)
                        ? quietly(requests.release(caller.tenant(), caller.userId(), key), "release")
                                .then(Mono.error(error))
                        : Mono.error(error));
        // A client that gives up must not stop the work halfway: cancelled after it took effect but before its answer
        // was kept, the key would stay claimed for a day. The work runs to its end, and the retry gets its answer.
        return Mono.deferContextual(context -> Mono.fromFuture(work.contextWrite(context).toFuture(), true));
    }

    /**
     * Keeps a successful answer for retries, once, and gives the key up after a refusal (a 4xx changed nothing).
     * An answer carrying a secret shown once ({@code Cache-Control: no-store}) is recorded as withheld, not kept.
     * Never fails: the answer is already decided, and a bookkeeping failure must not turn it into an error.
     */
    private Mono<Void> settle(AtomicBoolean settled, Principal caller, String key, ServerHttpResponse response,
            byte[] body) {
        if (!settled.compareAndSet(false, true)) {
            return Mono.empty();
        }
        HttpStatusCode status = response.getStatusCode() == null ? HttpStatus.OK : response.getStatusCode();
        if (status.is4xxClientError()) {
            return quietly(requests.release(caller.tenant(), caller.userId(), key), "release");
        }
        if (!status.is2xxSuccessful()) {
            return Mono.empty();
        }
        HttpHeaders headers = response.getHeaders();
        String location = headers.getFirst(HttpHeaders.LOCATION);
        boolean secret = headers.getCacheControl() != null && headers.getCacheControl().contains("no-store");
        IdempotentResponse answer = secret ? IdempotentResponse.withheld(status.value(), location)
                : new IdempotentResponse(status.value(), headers.getFirst(HttpHeaders.CONTENT_TYPE), location, body, false);
        return quietly(requests.complete(caller.tenant(), caller.userId(), key, answer), "keep the answer under");
    }

    /** Errors answered 4xx were refusals before anything changed; anything else may have taken effect. */
    private static boolean refusedUnchanged(Throwable error) {
        return error instanceof AccessDeniedException || error instanceof AuthenticationException
                || ProblemDetailsWebExceptionHandler.statusOf(error) < 500;
    }

    private static Mono<Void> quietly(Mono<Void> bookkeeping, String what) {
        return bookkeeping.onErrorResume(failure -> {
            log.warn("Could not {} an Idempotency-Key; it stays claimed until it expires", what, failure);
            return Mono.empty();
        });
    }

    private static Mono<Void> replay(ServerHttpResponse response, IdempotentResponse stored) {
        response.setStatusCode(HttpStatusCode.valueOf(stored.status()));
        HttpHeaders headers = response.getHeaders();
        if (stored.contentType() != null) {
            headers.set(HttpHeaders.CONTENT_TYPE, stored.contentType());
        }
        if (stored.location() != null) {
            headers.set(HttpHeaders.LOCATION, stored.location());
        }
        headers.set(REPLAYED_HEADER, "true");
        byte[] body = stored.body();
        return body.length == 0 ? response.setComplete() : response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private static String fingerprint(ServerWebExchange exchange, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            var request = exchange.getRequest();
            String contentType = request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
            digest.update((request.getMethod().name() + ' ' + request.getURI().getRawPath() + '?'
                    + (request.getURI().getRawQuery() == null ? "" : request.getURI().getRawQuery()) + '\n'
                    + (contentType == null ? "" : contentType) + '\n').getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
