package io.hostrail.webclient.paypal;

import static io.hostrail.webclient.support.JsonFields.text;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.GatewayAccount.PayPalAccount;
import io.hostrail.webclient.support.GuardedCalls;
import io.hostrail.webclient.support.JsonFields;
import io.hostrail.webclient.support.ProviderFailure;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * PayPal's REST API as the PayPal adapters share it: one bulkhead and breaker for all of PayPal, OAuth 2 access
 * tokens per app, JSON bodies, and a {@code PayPal-Request-Id} on every POST that moves money, from one of our ids, so
 * PayPal answers a repeated POST with the first one's result and every call here can be retried.
 *
 * <p>Access tokens ({@code POST /v1/oauth2/token}, client credentials in basic auth) are cached per app until
 * {@link PayPalSettings#tokenRefreshMargin()} before their {@code expires_in} runs out, by the injected clock; calls
 * that find no usable token share one fetch. A call answered 401 (the token revoked or expired early) takes a new token
 * and is sent once more. Credentials PayPal refuses come back as that 401 answer, for the caller to map.
 */
public final class PayPalApi {

    private final WebClient web;
    private final PayPalSettings settings;
    private final GuardedCalls calls;
    private final Clock clock;
    private final ConcurrentMap<PayPalAccount, Mono<AccessToken>> tokens = new ConcurrentHashMap<>();

    public PayPalApi(WebClient.Builder webClients, PayPalSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.calls = new GuardedCalls("paypal", settings.policy(), clock);
        this.web = calls.webClient(webClients, settings.baseUrl());
    }

    /** The breaker all PayPal calls share, for its state and metrics. */
    public CircuitBreaker circuitBreaker() {
        return calls.circuitBreaker();
    }

    static PayPalAccount payPalAccount(GatewayAccount account) {
        if (account instanceof PayPalAccount payPal) {
            return payPal;
        }
        throw new IllegalArgumentException("not a PayPal account: " + account);
    }

    /** {@code hostrail-<purpose>-<our id>}: the same id always gives the same request id. */
    static String requestId(String purpose, Object ourId) {
        return "hostrail-" + purpose + "-" + ourId;
    }

    /**
     * One guarded, retried call with a token.
     *
     * @param requestId the {@code PayPal-Request-Id}; null for reads
     * @param jsonBody  the request body; null for none
     */
    Mono<PayPalResponse> send(PayPalAccount account, HttpMethod method, String path, String requestId, String jsonBody) {
        return calls.idempotent(() -> authorized(account, token -> exchange(token, method, path, requestId, jsonBody)));
    }

    private Mono<PayPalResponse> exchange(String token, HttpMethod method, String path, String requestId, String jsonBody) {
        WebClient.RequestBodySpec request = web.method(method).uri(path).headers(headers -> {
            headers.setBearerAuth(token);
            headers.setAccept(List.of(MediaType.APPLICATION_JSON));
            // The whole resource, not the minimal id-status-links: outcomes need the captures and amounts.
            headers.set("Prefer", "return=representation");
            if (requestId != null) {
                headers.set("PayPal-Request-Id", requestId);
            }
        });
        WebClient.RequestHeadersSpec<?> withBody = jsonBody == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(jsonBody);
        return withBody.exchangeToMono(PayPalApi::read);
    }

    private Mono<PayPalResponse> authorized(PayPalAccount account, Function<String, Mono<PayPalResponse>> call) {
        return lease(account)
                .flatMap(lease -> call.apply(lease.token().value()).flatMap(response -> {
                    if (response.status() != 401) {
                        return Mono.just(response);
                    }
                    tokens.remove(account, lease.slot());
                    return lease(account).flatMap(fresh -> call.apply(fresh.token().value()));
                }))
                .onErrorResume(TokenRefused.class, refused -> Mono.just(refused.response));
    }

    /** A usable token from the cache, or from a fetch shared with every call that wants one meanwhile. */
    private Mono<Lease> lease(PayPalAccount account) {
        return Mono.defer(() -> {
            Mono<AccessToken> slot = tokens.computeIfAbsent(account, this::newSlot);
            return slot.flatMap(token -> {
                if (token.usableAt(clock.instant())) {
                    return Mono.just(new Lease(slot, token));
                }
                tokens.remove(account, slot);
                Mono<AccessToken> fresh = tokens.computeIfAbsent(account, this::newSlot);
                return fresh.map(freshToken -> new Lease(fresh, freshToken));
            });
        });
    }

    /** A fetch run once and then replayed; one that fails leaves the cache, so the next call fetches again. */
    private Mono<AccessToken> newSlot(PayPalAccount account) {
        AtomicReference<Mono<AccessToken>> self = new AtomicReference<>();
        Mono<AccessToken> slot = fetchToken(account)
                // Bounded on its own: a fetch that hung would hold every later call of this app.
                .timeout(settings.policy().timeout())
                .doOnError(failure -> tokens.remove(account, self.get()))
                .cache();
        self.set(slot);
        return slot;
    }

    private Mono<AccessToken> fetchToken(PayPalAccount account) {
        return web.post().uri("/v1/oauth2/token")
                .headers(headers -> {
                    headers.setBasicAuth(account.clientId(), account.clientSecret());
                    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
                })
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("grant_type=client_credentials")
                .exchangeToMono(PayPalApi::read)
                .map(response -> {
                    String value = text(response.body(), "access_token");
                    if (!response.ok() || value == null) {
                        throw new TokenRefused(response);
                    }
                    long lifetime = response.body().path("expires_in").asLong(0);
                    Instant usableUntil = clock.instant().plusSeconds(lifetime).minus(settings.tokenRefreshMargin());
                    return new AccessToken(value, usableUntil);
                });
    }

    private static Mono<PayPalResponse> read(ClientResponse response) {
        int status = response.statusCode().value();
        return response.bodyToMono(String.class).defaultIfEmpty("").map(body -> {
            if (status >= 500 || status == 429) {
                throw new ProviderFailure("HTTP_" + status);
            }
            return new PayPalResponse(status, JsonFields.tree(body));
        });
    }

    /** The bearer token and when to stop using it. Never printed. */
    record AccessToken(String value, Instant usableUntil) {

        boolean usableAt(Instant now) {
            return now.isBefore(usableUntil);
        }

        @Override
        public String toString() {
            return "AccessToken[****, usableUntil=" + usableUntil + "]";
        }
    }

    private record Lease(Mono<AccessToken> slot, AccessToken token) {
    }

    /** PayPal would not give a token for these credentials: its answer, passed on as the call's. */
    private static final class TokenRefused extends RuntimeException {

        private final transient PayPalResponse response;

        TokenRefused(PayPalResponse response) {
            super("HTTP_" + response.status(), null, false, false);
            this.response = response;
        }
    }
}
