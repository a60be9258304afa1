package io.hostrail.webclient.vies;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
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
import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.model.VatCheckOutcome;
import io.hostrail.customer.model.VatCheckOutcome.Invalid;
import io.hostrail.customer.model.VatCheckOutcome.Unavailable;
import io.hostrail.customer.model.VatCheckOutcome.Valid;
import io.hostrail.customer.port.out.VatRegistry;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.CodecException;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * {@link VatRegistry} on the EU's VIES REST API: {@code POST /check-vat-number} with {@code {countryCode, vatNumber}},
 * the number's VAT prefix ({@code EL} for Greece, not its ISO code {@code GR}) and the rest of it, answered with
 * {@code {valid, name, address, requestDate, ...}}, or with VIES's error codes in {@code errorWrappers} (or in
 * {@code userError}).
 *
 * <p>Resilience4j, applied as Reactor operators, from the call outwards: a bulkhead, a timeout per attempt, a circuit
 * breaker, and retries with exponential backoff and jitter, since a check is idempotent. What counts as what:
 * <ul>
 * <li>5xx, 429, a failed connection, an attempt that times out, and VIES's own outage codes
 * ({@code SERVICE_UNAVAILABLE}, {@code GLOBAL_MAX_CONCURRENT_REQ}) are failures of the provider: the breaker counts
 * them, and they are retried.
 * <li>A member state that is down or busy ({@code MS_UNAVAILABLE}, {@code MS_MAX_CONCURRENT_REQ}, {@code TIMEOUT}) is
 * retried, but the breaker does not count it: VIES itself answered, and one state's outage must not cut off the others.
 * <li>Any other error code or 4xx ({@code INVALID_INPUT}, {@code VAT_BLOCKED}, ...) is neither counted nor retried.
 * </ul>
 * Whatever the register could not answer ends as {@link Unavailable} with the reason, never as {@link Invalid}.
 */
public final class ViesVatRegistry implements VatRegistry {

    /** A member state's system is down or busy: worth asking again shortly, and no fault of VIES. */
    static final Set<String> MEMBER_STATE_BUSY = Set.of("MS_UNAVAILABLE", "MS_MAX_CONCURRENT_REQ",
            "MS_MAX_CONCURRENT_REQ_TIME", "TIMEOUT");
    /** VIES itself is down or overloaded. */
    static final Set<String> SERVICE_DOWN = Set.of("SERVICE_UNAVAILABLE", "GLOBAL_MAX_CONCURRENT_REQ",
            "GLOBAL_MAX_CONCURRENT_REQ_TIME");

    private static final Logger log = LoggerFactory.getLogger(ViesVatRegistry.class);

    private final WebClient web;
    private final ViesSettings settings;
    private final Clock clock;
    private final Bulkhead bulkhead;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;

    public ViesVatRegistry(WebClient.Builder webClients, ViesSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis());
        this.web = webClients.clone()
                .baseUrl(settings.baseUrl().toString().replaceAll("/+$", ""))
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
        this.bulkhead = Bulkhead.of("vies", BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                // Never wait for a permit: waiting would block an event loop.
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.circuitBreaker = CircuitBreaker.of("vies", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .recordException(ViesVatRegistry::isProviderFailure)
                .ignoreExceptions(BulkheadFullException.class)
                .clock(clock)
                .build());
        this.retry = Retry.of("vies", RetryConfig.<VatCheckOutcome>custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(), 2.0, 0.5))
                .retryOnException(ViesVatRegistry::isProviderFailure)
                .retryOnResult(outcome -> outcome instanceof Unavailable unavailable
                        && MEMBER_STATE_BUSY.contains(unavailable.reason()))
                .build());
    }

    @Override
    public Mono<VatCheckOutcome> check(TaxId vatNumber) {
        if (!vatNumber.isEuVat()) {
            return Mono.error(new IllegalArgumentException("'" + vatNumber.value() + "' is not an EU VAT number"));
        }
        CheckRequest request = new CheckRequest(vatNumber.value().substring(0, 2), vatNumber.value().substring(2));
        return Mono.defer(() -> ask(request))
                .transformDeferred(BulkheadOperator.of(bulkhead))
                .timeout(settings.timeout())
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .transformDeferred(RetryOperator.of(retry))
                .onErrorResume(failure -> Mono.just(new Unavailable(reason(failure))))
                .doOnNext(outcome -> {
                    if (outcome instanceof Unavailable unavailable) {
                        log.warn("VIES gave no answer for a {} VAT number: {}", request.countryCode(), unavailable.reason());
                    }
                });
    }

    /** The breaker, for its state and metrics. */
    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    private Mono<VatCheckOutcome> ask(CheckRequest request) {
        return web.post().uri("/check-vat-number")
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchangeToMono(response -> {
                    int status = response.statusCode().value();
                    return response.bodyToMono(CheckResponse.class)
                            // A body that is not VIES's JSON (a proxy's error page) says no more than its status.
                            .onErrorResume(CodecException.class, unreadable -> Mono.empty())
                            .defaultIfEmpty(CheckResponse.NONE)
                            .map(body -> outcome(status, body));
                });
    }

    /** What one answer says; throws {@link ViesFailure} when it is a failure of the provider. */
    private VatCheckOutcome outcome(int status, CheckResponse body) {
        String code = body.errorCode();
        if (code != null && SERVICE_DOWN.contains(code)) {
            throw new ViesFailure(code);
        }
        if (code != null) {
            return new Unavailable(code);
        }
        if (status >= 500 || status == 429) {
            throw new ViesFailure("HTTP_" + status);
        }
        if (status >= 300) {
            return new Unavailable("HTTP_" + status);
        }
        if (Boolean.FALSE.equals(body.actionSucceed())) {
            return new Unavailable("ACTION_FAILED");
        }
        Boolean valid = body.verdict();
        if (valid == null) {
            throw new ViesFailure("MALFORMED_ANSWER");
        }
        Instant checkedAt = checkedAt(body.requestDate());
        return valid ? new Valid(body.name(), body.address(), checkedAt) : new Invalid(checkedAt);
    }

    /** VIES's time of the answer when it gives one; some answers carry only the day, and then the time is ours. */
    private Instant checkedAt(String requestDate) {
        if (requestDate != null) {
            try {
                return OffsetDateTime.parse(requestDate).toInstant();
            } catch (DateTimeParseException dayOnly) {
                // fall through to our own clock
            }
        }
        return clock.instant();
    }

    private static boolean isProviderFailure(Throwable failure) {
        return failure instanceof ViesFailure || failure instanceof TimeoutException
                || failure instanceof WebClientRequestException;
    }

    private static String reason(Throwable failure) {
        return switch (failure) {
            case ViesFailure vies -> vies.code;
            case TimeoutException timeout -> "CLIENT_TIMEOUT";
            case CallNotPermittedException open -> "CIRCUIT_OPEN";
            case BulkheadFullException full -> "BULKHEAD_FULL";
            case WebClientRequestException connection -> "CONNECTION_FAILED";
            default -> {
                log.warn("VIES check failed unexpectedly", failure);
                yield "UNEXPECTED_ERROR";
            }
        };
    }

    /** The provider failed: counted by the breaker and retried. */
    static final class ViesFailure extends RuntimeException {

        private final String code;

        ViesFailure(String code) {
            super(code, null, false, false);
            this.code = code;
        }
    }

    record CheckRequest(String countryCode, String vatNumber) {
    }

    /**
     * The answer, and the two ways VIES reports errors: {@code errorWrappers} with {@code actionSucceed: false}, or a
     * {@code userError} other than {@code VALID}/{@code INVALID}. The GET form answers {@code isValid} for {@code valid}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CheckResponse(Boolean valid, @JsonProperty("isValid") Boolean isValid, String name, String address,
            String requestDate, String userError, Boolean actionSucceed, List<ErrorWrapper> errorWrappers) {

        static final CheckResponse NONE = new CheckResponse(null, null, null, null, null, null, null, null);

        Boolean verdict() {
            return valid != null ? valid : isValid;
        }

        String errorCode() {
            if (errorWrappers != null) {
                for (ErrorWrapper wrapper : errorWrappers) {
                    if (wrapper != null && wrapper.error() != null && !wrapper.error().isBlank()) {
                        return wrapper.error().strip();
                    }
                }
            }
            if (userError != null && !userError.isBlank() && !userError.equals("VALID") && !userError.equals("INVALID")) {
                return userError.strip();
            }
            return null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorWrapper(String error, String message) {
    }
}
