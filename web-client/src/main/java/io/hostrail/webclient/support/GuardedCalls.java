package io.hostrail.webclient.support;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * One provider's bulkhead, circuit breaker and retry, applied as Reactor operators around each call, from the call
 * outwards: the bulkhead, a timeout per attempt, the breaker, then retries with exponential backoff and jitter. So every
 * attempt takes a permit and counts with the breaker, and a retry waits outside both.
 *
 * <p>5xx and 429 answers ({@link ProviderFailure}), timeouts and I/O failures count against the provider and are
 * retried. Everything else the provider answers (its 4xx business refusals) is an answer: neither counted nor retried.
 * Only calls that are idempotent or carry an idempotency key may go through {@link #idempotent}.
 */
public final class GuardedCalls {

    private final OutboundPolicy policy;
    private final Bulkhead bulkhead;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;

    public GuardedCalls(String provider, OutboundPolicy policy, Clock clock) {
        this.policy = policy;
        this.bulkhead = Bulkhead.of(provider, BulkheadConfig.custom()
                .maxConcurrentCalls(policy.maxConcurrentCalls())
                // Never wait for a permit: waiting would block an event loop.
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.circuitBreaker = CircuitBreaker.of(provider, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(policy.slidingWindowSize())
                .minimumNumberOfCalls(policy.minimumCalls())
                .failureRateThreshold(policy.failureRatePercent())
                .waitDurationInOpenState(policy.openFor())
                .permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
                .recordException(GuardedCalls::isProviderFailure)
                .ignoreExceptions(BulkheadFullException.class)
                .clock(clock)
                .build());
        this.retry = Retry.of(provider, RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.initialBackoff(), 2.0, 0.5))
                .retryOnException(GuardedCalls::isProviderFailure)
                .build());
    }

    /** A WebClient for the provider at {@code baseUrl}, with the policy's connect and response timeouts set on Netty. */
    public WebClient webClient(WebClient.Builder builder, URI baseUrl) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) policy.connectTimeout().toMillis())
                // A second bound under the per-attempt timeout, for exchanges made outside it (a shared token fetch).
                .responseTimeout(policy.timeout());
        return builder.clone()
                .baseUrl(baseUrl.toString().replaceAll("/+$", ""))
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
    }

    /** Runs a call that is idempotent or keyed: each attempt is a fresh subscription to {@code attempt}. */
    public <T> Mono<T> idempotent(Supplier<Mono<T>> attempt) {
        return Mono.defer(attempt)
                .transformDeferred(BulkheadOperator.of(bulkhead))
                .timeout(policy.timeout())
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .transformDeferred(RetryOperator.of(retry));
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    public Bulkhead bulkhead() {
        return bulkhead;
    }

    /** Counts against the provider, and worth another attempt. */
    public static boolean isProviderFailure(Throwable failure) {
        return failure instanceof ProviderFailure || failure instanceof TimeoutException || isConnectionFailure(failure);
    }

    /** A stable name for why a guarded call ended without an answer, or null if the failure is none of the guards'. */
    public static String reason(Throwable failure) {
        return switch (failure) {
            case ProviderFailure provider -> provider.reason();
            case TimeoutException timeout -> "TIMEOUT";
            case CallNotPermittedException open -> "CIRCUIT_OPEN";
            case BulkheadFullException full -> "BULKHEAD_FULL";
            default -> isConnectionFailure(failure) ? "CONNECTION_FAILED" : null;
        };
    }

    /** Refused, reset or closed before the answer was complete. */
    private static boolean isConnectionFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebClientRequestException || cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
