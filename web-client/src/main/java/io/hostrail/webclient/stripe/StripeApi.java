package io.hostrail.webclient.stripe;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.GatewayAccount.StripeAccount;
import io.hostrail.webclient.support.GuardedCalls;
import io.hostrail.webclient.support.JsonFields;
import io.hostrail.webclient.support.ProviderFailure;
import java.net.URI;
import java.time.Clock;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Mono;

/**
 * Stripe's REST API as the Stripe adapters share it: one bulkhead and breaker for all of Stripe, the secret key as a
 * bearer token, the pinned API version, form-encoded bodies, and on every POST an {@code Idempotency-Key} the caller
 * derives from one of our ids. Stripe answers a repeated key with the first request's result, so a POST is as safe to
 * retry as a GET, and every call here is retried.
 *
 * <p>A 5xx, a 429 (rate limited) and a 409 (a request under the same key still running) are failures of the provider;
 * any other answer, 4xx included, is given to the caller.
 */
public final class StripeApi {

    static final String KEY_PREFIX = "hostrail-";

    private final WebClient web;
    private final StripeSettings settings;
    private final GuardedCalls calls;

    public StripeApi(WebClient.Builder webClients, StripeSettings settings, Clock clock) {
        this.settings = settings;
        this.calls = new GuardedCalls("stripe", settings.policy(), clock);
        this.web = calls.webClient(webClients, settings.baseUrl());
    }

    /** The breaker all Stripe calls share, for its state and metrics. */
    public CircuitBreaker circuitBreaker() {
        return calls.circuitBreaker();
    }

    /** {@code hostrail-<purpose>-<our id>}: the same id always gives the same key, and different purposes never share one. */
    static String idempotencyKey(String purpose, Object ourId) {
        return KEY_PREFIX + purpose + "-" + ourId;
    }

    static StripeAccount stripeAccount(GatewayAccount account) {
        if (account instanceof StripeAccount stripe) {
            return stripe;
        }
        throw new IllegalArgumentException("not a Stripe account: " + account);
    }

    Mono<StripeResponse> post(StripeAccount account, String path, String idempotencyKey, StripeForm form) {
        String body = form.encoded();
        return calls.idempotent(() -> web.post().uri(path)
                .headers(headers -> authorize(headers, account))
                .header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue(body)
                .exchangeToMono(StripeApi::read));
    }

    Mono<StripeResponse> get(StripeAccount account, Function<UriBuilder, URI> uri) {
        return calls.idempotent(() -> web.get().uri(uri)
                .headers(headers -> authorize(headers, account))
                .exchangeToMono(StripeApi::read));
    }

    private void authorize(HttpHeaders headers, StripeAccount account) {
        headers.setBearerAuth(account.secretKey());
        headers.set("Stripe-Version", settings.apiVersion());
        headers.setAccept(java.util.List.of(MediaType.APPLICATION_JSON));
    }

    private static Mono<StripeResponse> read(ClientResponse response) {
        int status = response.statusCode().value();
        return response.bodyToMono(String.class).defaultIfEmpty("").map(body -> {
            if (status >= 500 || status == 429 || status == 409) {
                throw new ProviderFailure("HTTP_" + status);
            }
            return new StripeResponse(status, JsonFields.tree(body));
        });
    }
}
