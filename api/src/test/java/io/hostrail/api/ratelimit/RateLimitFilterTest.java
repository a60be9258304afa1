package io.hostrail.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.api.error.ProblemResponseWriter;
import io.hostrail.api.ratelimit.RateLimitProperties.Bucket;
import io.hostrail.api.ratelimit.RateLimitProperties.RouteGroup;
import io.hostrail.api.security.HostrailAuthentication;
import io.hostrail.api.web.RequestIdFilter;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.ratelimit.BucketSpec;
import io.hostrail.shared.ratelimit.LocalTokenBuckets;
import io.hostrail.shared.ratelimit.RateLimitDecision;
import io.hostrail.shared.ratelimit.RateLimiter;
import io.hostrail.shared.time.SettableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The filter on its own: which buckets a request takes from, what the response says, and when it steps aside. */
class RateLimitFilterTest {

    static final JsonMapper JSON = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
    static final ProblemResponseWriter PROBLEMS = new ProblemResponseWriter(JSON);

    /** One token every 20 s per address; one every 30 s per user; one every 15 s per API key. */
    static final List<RouteGroup> GROUPS = List.of(
            new RouteGroup("limited", List.of("/api/**"), null, new Bucket(3, 3, Duration.ofMinutes(1)),
                    new Bucket(2, 2, Duration.ofMinutes(1)), new Bucket(4, 4, Duration.ofMinutes(1))));

    private static final TenantId TENANT = TenantId.of("0190f5a0-0000-7000-8000-0000000000aa");
    private static final UUID USER = UUID.fromString("0190f5a0-0000-7000-8000-000000000001");
    private static final UUID KEY = UUID.fromString("0190f5a0-0000-7000-8000-0000000000cc");

    private final SettableClock clock = SettableClock.at("2026-03-01T12:00:00Z");
    private final RecordingLimiter limiter = new RecordingLimiter(new LocalTokenBuckets(clock)::tryConsume);
    private final RateLimitFilter filter = filter(true, limiter);

    @Test
    @DisplayName("an anonymous request takes from its address's bucket and is told what is left")
    void anonymous() {
        Outcome outcome = run(request("/api/v1/things", "198.51.100.7"), null);

        assertThat(outcome.passed()).isTrue();
        assertThat(limiter.keys).containsExactly("limited:ip:198.51.100.7");
        assertThat(outcome.header(RateLimitFilter.LIMIT)).isEqualTo("3");
        assertThat(outcome.header(RateLimitFilter.REMAINING)).isEqualTo("2");
        assertThat(outcome.header(RateLimitFilter.RESET)).isEqualTo("20");
        assertThat(outcome.header(HttpHeaders.RETRY_AFTER)).isNull();
    }

    @Test
    @DisplayName("a signed-in request takes from the address's and the user's bucket; the tighter one is reported")
    void signedIn() {
        Outcome outcome = run(request("/api/v1/things", "198.51.100.7"), signedInAnn());

        assertThat(outcome.passed()).isTrue();
        assertThat(limiter.keys).containsExactlyInAnyOrder("limited:ip:198.51.100.7", "limited:user:" + TENANT + ":" + USER);
        assertThat(outcome.header(RateLimitFilter.LIMIT)).isEqualTo("2");
        assertThat(outcome.header(RateLimitFilter.REMAINING)).isEqualTo("1");
        assertThat(outcome.header(RateLimitFilter.RESET)).isEqualTo("30");
    }

    @Test
    @DisplayName("a request with an API key takes from the key's bucket, not a user's")
    void apiKey() {
        Outcome outcome = run(request("/api/v1/things", "198.51.100.7"), withApiKey());

        assertThat(outcome.passed()).isTrue();
        assertThat(limiter.keys).containsExactlyInAnyOrder("limited:ip:198.51.100.7", "limited:api-key:" + TENANT + ":" + KEY);
        assertThat(outcome.header(RateLimitFilter.LIMIT)).isEqualTo("3");
        assertThat(outcome.header(RateLimitFilter.REMAINING)).isEqualTo("2");
    }

    @Test
    @DisplayName("a refused request is 429 problem+json with Retry-After, and goes no further")
    void refused() {
        run(request("/api/v1/things", "198.51.100.7"), signedInAnn());
        run(request("/api/v1/things", "198.51.100.8"), signedInAnn());
        Outcome outcome = run(request("/api/v1/things", "198.51.100.9"), signedInAnn());

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(outcome.exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(outcome.header(HttpHeaders.RETRY_AFTER)).isEqualTo("30");
        assertThat(outcome.header(RateLimitFilter.LIMIT)).isEqualTo("2");
        assertThat(outcome.header(RateLimitFilter.REMAINING)).isEqualTo("0");
        assertThat(outcome.header(RateLimitFilter.RESET)).isEqualTo("60");
        Map<String, Object> body = outcome.body();
        assertThat(body).containsEntry("type", "https://hostrail.io/problems/rate_limited")
                .containsEntry("title", "Too many requests")
                .containsEntry("status", 429)
                .containsEntry("code", "rate_limited")
                .containsEntry("detail", "Too many requests. Try again in 30 seconds.")
                .containsEntry("instance", "/api/v1/things")
                .containsEntry("requestId", "req-1");
        assertThat(body.toString()).doesNotContain(USER.toString(), TENANT.toString(), "198.51.100", "limited:");
    }

    @Test
    @DisplayName("when several buckets refuse, Retry-After is the longest wait, so one retry suffices")
    void longestWaitWins() {
        RecordingLimiter refusing = new RecordingLimiter((key, spec) -> Mono.just(key.contains(":ip:")
                ? new RateLimitDecision(false, 3, 0, Duration.ofSeconds(50), Duration.ofSeconds(60))
                : new RateLimitDecision(false, 2, 0, Duration.ofMillis(1500), Duration.ofSeconds(30))));
        Outcome outcome = run(filter(true, refusing), request("/api/v1/things", "198.51.100.7"), signedInAnn());

        assertThat(outcome.header(HttpHeaders.RETRY_AFTER)).isEqualTo("50");
        assertThat(outcome.header(RateLimitFilter.LIMIT)).isEqualTo("3");
    }

    @Test
    @DisplayName("Retry-After rounds up: a wait of 1.5 s is 2 seconds, never 0 or 1")
    void retryAfterRoundsUp() {
        RecordingLimiter refusing = new RecordingLimiter((key, spec) ->
                Mono.just(new RateLimitDecision(false, 2, 0, Duration.ofMillis(1500), Duration.ofMillis(1500))));
        Outcome outcome = run(filter(true, refusing), request("/api/v1/things", "198.51.100.7"), null);

        assertThat(outcome.header(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(outcome.body()).containsEntry("detail", "Too many requests. Try again in 2 seconds.");
    }

    @Test
    @DisplayName("without trusted proxies, X-Forwarded-For does not give a client a fresh bucket")
    void forwardedForIsNotTrustedByDefault() {
        for (int i = 0; i < 3; i++) {
            assertThat(run(request("/api/v1/things", "198.51.100.7", "203.0.113." + i), null).passed()).isTrue();
        }
        Outcome fourth = run(request("/api/v1/things", "198.51.100.7", "203.0.113.99"), null);

        assertThat(fourth.passed()).isFalse();
        assertThat(limiter.keys).containsOnly("limited:ip:198.51.100.7");
    }

    @Test
    @DisplayName("a request in no group, or with limits switched off, is not counted")
    void notLimited() {
        Outcome outside = run(request("/elsewhere", "198.51.100.7"), signedInAnn());
        Outcome health = run(request("/actuator/health", "198.51.100.7"), null);
        Outcome disabled = run(filter(false, limiter), request("/api/v1/things", "198.51.100.7"), signedInAnn());

        assertThat(List.of(outside, health, disabled)).allSatisfy(outcome -> {
            assertThat(outcome.passed()).isTrue();
            assertThat(outcome.header(RateLimitFilter.LIMIT)).isNull();
        });
        assertThat(limiter.keys).isEmpty();
    }

    @Test
    @DisplayName("a limiter that fails outright lets the request through unlimited rather than failing it")
    void brokenLimiterFailsOpen() {
        RecordingLimiter broken = new RecordingLimiter((key, spec) -> Mono.error(new IllegalStateException("bug")));
        Outcome outcome = run(filter(true, broken), request("/api/v1/things", "198.51.100.7"), signedInAnn());

        assertThat(outcome.passed()).isTrue();
        assertThat(outcome.exchange.getResponse().getStatusCode()).isNull();
        assertThat(outcome.header(RateLimitFilter.LIMIT)).isNull();
    }

    @Test
    @DisplayName("an error from further down the chain is not swallowed as a limiter failure")
    void downstreamErrorsPropagate() {
        MockServerWebExchange exchange = MockServerWebExchange.from(request("/api/v1/things", "198.51.100.7"));

        StepVerifier.create(filter.filter(exchange, ignored -> Mono.error(new IllegalStateException("handler failed"))))
                .expectErrorMessage("handler failed")
                .verify();
    }

    static RateLimitFilter filter(boolean enabled, RateLimiter limiter) {
        return new RateLimitFilter(enabled, RouteGroups.of(GROUPS), ClientAddresses.trusting(List.of()), limiter, PROBLEMS);
    }

    static MockServerHttpRequest request(String path, String remote, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get(path)
                .remoteAddress(new InetSocketAddress(ClientAddresses.literal(remote), 43210));
        if (forwardedFor.length > 0) {
            request.header(ClientAddresses.FORWARDED_FOR, forwardedFor);
        }
        return request.build();
    }

    static Authentication signedInAnn() {
        return new HostrailAuthentication(new Principal(TENANT, USER, "ann@example.com", UserKind.STAFF, null,
                Set.of(), Set.of(), null), "token");
    }

    /** As {@code ApiKeyService} authenticates one: the key's id in place of a user id. */
    static Authentication withApiKey() {
        return new HostrailAuthentication(new Principal(TENANT, KEY, "api-key:abcdefghijkl", UserKind.API_KEY, null,
                Set.of(), Set.of(), null), "");
    }

    private Outcome run(MockServerHttpRequest request, Authentication authentication) {
        return run(filter, request, authentication);
    }

    static Outcome run(RateLimitFilter filter, MockServerHttpRequest request, Authentication authentication) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(RequestIdFilter.REQUEST_ID_ATTRIBUTE, "req-1");
        AtomicBoolean passed = new AtomicBoolean();
        Mono<Void> filtered = filter.filter(exchange, next -> Mono.fromRunnable(() -> passed.set(true)));
        if (authentication != null) {
            filtered = filtered.contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication));
        }
        StepVerifier.create(filtered).verifyComplete();
        return new Outcome(exchange, passed.get());
    }

    record Outcome(MockServerWebExchange exchange, boolean passed) {

        String header(String name) {
            return exchange.getResponse().getHeaders().getFirst(name);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> body() {
            return JSON.readValue(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)), Map.class);
        }
    }

    /** Passes every call on, remembering the bucket keys asked for. */
    static final class RecordingLimiter implements RateLimiter {

        final List<String> keys = new CopyOnWriteArrayList<>();
        private final BiFunction<String, BucketSpec, Mono<RateLimitDecision>> answer;

        RecordingLimiter(BiFunction<String, BucketSpec, Mono<RateLimitDecision>> answer) {
            this.answer = answer;
        }

        @Override
        public Mono<RateLimitDecision> tryConsume(String key, BucketSpec spec) {
            keys.add(key);
            return answer.apply(key, spec);
        }
    }
}
