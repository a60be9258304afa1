package io.hostrail.api.ratelimit;

import io.hostrail.api.error.ProblemCatalog;
import io.hostrail.api.error.ProblemResponseWriter;
import io.hostrail.api.ratelimit.RouteGroups.LimitedRoute;
import io.hostrail.api.web.RequestIdFilter;
import io.hostrail.shared.ratelimit.RateLimitDecision;
import io.hostrail.shared.ratelimit.RateLimiter;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Takes one token per request from every bucket that applies to it in its route group: the client
 * address's and, when the request is authenticated, the user's or the API key's. If any bucket refuses, the request is answered
 * {@code 429} with {@code Retry-After}; otherwise it goes on. Either way the response carries
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} of the most
 * restrictive bucket.
 *
 * <p>Runs after Spring Security's filter chain (order -100), so the caller is known. A request that
 * Security turns away (a bad token) therefore never reaches this filter and is not counted.
 */
@Order(RateLimitFilter.ORDER)
public final class RateLimitFilter implements WebFilter {

    /** After Spring Security's {@code WebFilterChainProxy} (-100), before the handlers. */
    public static final int ORDER = 0;

    static final String LIMIT = "RateLimit-Limit";
    static final String REMAINING = "RateLimit-Remaining";
    static final String RESET = "RateLimit-Reset";
    static final String RATE_LIMITED = "rate_limited";

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    /**
     * Refused before allowed; then the longest wait, the fewest tokens left, the longest until full.
     * A client that honours the first decision's headers is refused by none of the others.
     */
    private static final Comparator<RateLimitDecision> MOST_RESTRICTIVE_FIRST = Comparator
            .comparing(RateLimitDecision::allowed)
            .thenComparing(RateLimitDecision::retryAfter, Comparator.reverseOrder())
            .thenComparingLong(RateLimitDecision::remaining)
            .thenComparing(RateLimitDecision::resetAfter, Comparator.reverseOrder());

    private final boolean enabled;
    private final RouteGroups routes;
    private final ClientAddresses clientAddresses;
    private final RateLimiter limiter;
    private final ProblemResponseWriter problems;

    RateLimitFilter(boolean enabled, RouteGroups routes, ClientAddresses clientAddresses, RateLimiter limiter,
            ProblemResponseWriter problems) {
        this.enabled = enabled;
        this.routes = Objects.requireNonNull(routes, "routes");
        this.clientAddresses = Objects.requireNonNull(clientAddresses, "client addresses");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Optional<LimitedRoute> matched = enabled ? routes.match(exchange.getRequest()) : Optional.empty();
        if (matched.isEmpty()) {
            return chain.filter(exchange);
        }
        LimitedRoute route = matched.get();
        RateLimitSubject client = new RateLimitSubject.ClientAddress(clientAddresses.of(exchange.getRequest()));
        return authenticatedSubject()
                .map(caller -> List.of(client, caller))
                .defaultIfEmpty(List.of(client))
                .flatMap(subjects -> mostRestrictive(route, subjects))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(decision -> decision.isPresent() && !decision.get().allowed()
                        ? refuse(exchange, decision.get())
                        : proceed(exchange, chain, decision));
    }

    private static Mono<RateLimitSubject> authenticatedSubject() {
        return ReactiveSecurityContextHolder.getContext()
                .flatMap(context -> Mono.justOrEmpty(RateLimitSubject.of(context.getAuthentication())));
    }

    /** Asks every applicable bucket concurrently: a request waits about one Redis round trip, not one per subject. */
    private Mono<RateLimitDecision> mostRestrictive(LimitedRoute route, List<RateLimitSubject> subjects) {
        return Flux.fromIterable(subjects)
                .flatMap(subject -> route.limitFor(subject)
                        .map(spec -> limiter.tryConsume(route.bucketKey(subject), spec))
                        .orElseGet(Mono::empty))
                .reduce((a, b) -> MOST_RESTRICTIVE_FIRST.compare(a, b) <= 0 ? a : b)
                .onErrorResume(error -> {
                    // The limiter already falls back to local buckets; reaching this is a bug, and a bug in
                    // rate limiting must not take the API down: let the request through, unlimited.
                    log.warn("Rate limiter failed for group {}; request let through unlimited", route.name(), error);
                    return Mono.empty();
                });
    }

    private static Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain chain, Optional<RateLimitDecision> decision) {
        decision.ifPresent(allowed -> describe(exchange.getResponse().getHeaders(), allowed));
        return chain.filter(exchange);
    }

    private Mono<Void> refuse(ServerWebExchange exchange, RateLimitDecision refused) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        describe(headers, refused);
        long retryAfter = refused.retryAfterSeconds();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));

        // Which bucket refused (address, user or key) and its key stay internal: they help no client.
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Too many requests. Try again in " + retryAfter + (retryAfter == 1 ? " second." : " seconds."));
        problem.setType(ProblemCatalog.type(RATE_LIMITED));
        problem.setTitle("Too many requests");
        problem.setProperty("code", RATE_LIMITED);
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        String requestId = exchange.getAttribute(RequestIdFilter.REQUEST_ID_ATTRIBUTE);
        if (requestId != null) {
            problem.setProperty("requestId", requestId);
        }
        return problems.write(exchange.getResponse(), problem);
    }

    /** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), in whole seconds. */
    private static void describe(HttpHeaders headers, RateLimitDecision decision) {
        headers.set(LIMIT, Long.toString(decision.limit()));
        headers.set(REMAINING, Long.toString(decision.remaining()));
        headers.set(RESET, Long.toString(decision.resetAfterSeconds()));
    }
}
