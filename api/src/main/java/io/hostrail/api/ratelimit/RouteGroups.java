package io.hostrail.api.ratelimit;

import io.hostrail.api.ratelimit.RateLimitSubject.ApiKey;
import io.hostrail.api.ratelimit.RateLimitSubject.ClientAddress;
import io.hostrail.api.ratelimit.RateLimitSubject.User;
import io.hostrail.shared.ratelimit.BucketSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The configured route groups, parsed once at startup: which group a request falls in (the first whose
 * paths and methods match) and what bucket each kind of subject gets there. Health, metrics, the API
 * docs and the JWKS are in no group, whatever the configuration says: probes, scrapers and token
 * verifiers must never be turned away.
 */
final class RouteGroups {

    static final List<String> NEVER_LIMITED = List.of(
            "/actuator/**", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**", "/.well-known/**");

    private final List<PathPattern> neverLimited;
    private final List<LimitedRoute> routes;

    private RouteGroups(List<PathPattern> neverLimited, List<LimitedRoute> routes) {
        this.neverLimited = neverLimited;
        this.routes = routes;
    }

    /** Fails on a bad pattern, a repeated name or an out-of-range bucket, so a typo stops the startup. */
    static RouteGroups of(List<RateLimitProperties.RouteGroup> groups) {
        Set<String> names = new HashSet<>();
        for (RateLimitProperties.RouteGroup group : groups) {
            if (!names.add(group.name())) {
                // Two groups with one name would share buckets under different limits.
                throw new IllegalArgumentException("hostrail.rate-limits.groups: the name '" + group.name()
                        + "' is used twice");
            }
        }
        return new RouteGroups(parse(NEVER_LIMITED), groups.stream().map(RouteGroups::compile).toList());
    }

    /** The group {@code request} belongs to; empty when it is in none and goes unlimited. */
    Optional<LimitedRoute> match(ServerHttpRequest request) {
        PathContainer path = request.getPath().pathWithinApplication();
        if (neverLimited.stream().anyMatch(pattern -> pattern.matches(path))) {
            return Optional.empty();
        }
        return routes.stream().filter(route -> route.matches(path, request.getMethod())).findFirst();
    }

    private static LimitedRoute compile(RateLimitProperties.RouteGroup group) {
        Set<HttpMethod> methods = group.methods().stream()
                .map(method -> HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)))
                .collect(Collectors.toUnmodifiableSet());
        try {
            return new LimitedRoute(group.name(), parse(group.pathPatterns()), methods, spec(group.perIp()),
                    spec(group.perUser()), spec(group.perApiKey()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hostrail.rate-limits.groups '" + group.name() + "': " + e.getMessage(), e);
        }
    }

    private static BucketSpec spec(RateLimitProperties.Bucket bucket) {
        return bucket == null ? null : bucket.toSpec();
    }

    private static List<PathPattern> parse(List<String> patterns) {
        return patterns.stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    /**
     * One group, ready to match.
     *
     * @param methods empty: every method
     * @param perIp null: no per-address limit
     * @param perUser null: no per-user limit
     * @param perApiKey null: no per-key limit
     */
    record LimitedRoute(String name, List<PathPattern> paths, Set<HttpMethod> methods, BucketSpec perIp,
            BucketSpec perUser, BucketSpec perApiKey) {

        boolean matches(PathContainer path, HttpMethod method) {
            return (methods.isEmpty() || methods.contains(method)) && paths.stream().anyMatch(pattern -> pattern.matches(path));
        }

        /** The bucket {@code subject} gets in this group; empty when the group does not limit its kind. */
        Optional<BucketSpec> limitFor(RateLimitSubject subject) {
            return Optional.ofNullable(switch (subject) {
                case ClientAddress address -> perIp;
                case User user -> perUser;
                case ApiKey apiKey -> perApiKey;
            });
        }

        /** The key of {@code subject}'s bucket in this group: {@code api:ip:203.0.113.7}. */
        String bucketKey(RateLimitSubject subject) {
            return name + ":" + subject.key();
        }
    }
}
