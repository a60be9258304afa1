package io.hostrail.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.api.ratelimit.RateLimitProperties.Bucket;
import io.hostrail.api.ratelimit.RateLimitProperties.RouteGroup;
import io.hostrail.api.ratelimit.RouteGroups.LimitedRoute;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.ratelimit.BucketSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class RouteGroupsTest {

    private static final Bucket TWENTY_A_MINUTE = new Bucket(20, 20, Duration.ofMinutes(1));
    private static final Bucket HUNDRED_A_MINUTE = new Bucket(100, 600, Duration.ofMinutes(1));
    private static final Bucket THOUSAND_A_MINUTE = new Bucket(200, 1000, Duration.ofMinutes(1));

    private final RouteGroups groups = RouteGroups.of(List.of(
            new RouteGroup("auth", List.of("/api/v1/auth/login", "/api/v1/auth/refresh"), null, TWENTY_A_MINUTE, null, null),
            new RouteGroup("webhooks", List.of("/api/v1/webhooks/**"), List.of("post"), null, null, null),
            new RouteGroup("api", List.of("/api/**"), List.of(), TWENTY_A_MINUTE, HUNDRED_A_MINUTE, THOUSAND_A_MINUTE),
            new RouteGroup("everything", List.of("/**"), List.of(), TWENTY_A_MINUTE, null, null)));

    @Test
    @DisplayName("the first group that matches applies")
    void firstMatchWins() {
        assertThat(group(HttpMethod.POST, "/api/v1/auth/login")).contains("auth");
        assertThat(group(HttpMethod.POST, "/api/v1/auth/refresh")).contains("auth");
        assertThat(group(HttpMethod.GET, "/api/v1/auth/me")).contains("api");
        assertThat(group(HttpMethod.GET, "/api/v1/users/42")).contains("api");
        assertThat(group(HttpMethod.GET, "/elsewhere")).contains("everything");
    }

    @Test
    @DisplayName("a group with methods covers only those; a group without limits exempts its routes")
    void methods() {
        LimitedRoute webhooks = groups.match(request(HttpMethod.POST, "/api/v1/webhooks/stripe")).orElseThrow();
        assertThat(webhooks.name()).isEqualTo("webhooks");
        assertThat(webhooks.limitFor(new RateLimitSubject.ClientAddress("203.0.113.5"))).isEmpty();
        assertThat(group(HttpMethod.GET, "/api/v1/webhooks/stripe")).contains("api");
    }

    @Test
    @DisplayName("health, metrics, API docs and JWKS are never limited, even by a catch-all group")
    void operationalPathsAreNeverLimited() {
        for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/prometheus",
                "/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html", "/swagger-ui/index.html",
                "/webjars/swagger-ui/index.css", "/.well-known/jwks.json")) {
            assertThat(group(HttpMethod.GET, path)).as(path).isEmpty();
        }
    }

    @Test
    @DisplayName("no group, no limit")
    void unmatched() {
        RouteGroups apiOnly = RouteGroups.of(List.of(new RouteGroup("api", List.of("/api/**"), null, TWENTY_A_MINUTE, null, null)));
        assertThat(apiOnly.match(request(HttpMethod.GET, "/test/anything"))).isEmpty();
        assertThat(apiOnly.match(request(HttpMethod.GET, "/apix"))).isEmpty();
    }

    @Test
    @DisplayName("each kind of subject gets its own bucket, under a key of group, kind and identity")
    void bucketsPerSubject() {
        LimitedRoute api = groups.match(request(HttpMethod.GET, "/api/v1/users")).orElseThrow();
        RateLimitSubject address = new RateLimitSubject.ClientAddress("203.0.113.5");
        UUID userId = UUID.fromString("0190f5a0-0000-7000-8000-000000000001");
        TenantId tenant = TenantId.of("0190f5a0-0000-7000-8000-0000000000aa");
        RateLimitSubject user = new RateLimitSubject.User(tenant, userId);
        RateLimitSubject apiKey = new RateLimitSubject.ApiKey(tenant, userId);

        assertThat(api.limitFor(address)).contains(new BucketSpec(20, 20, Duration.ofMinutes(1)));
        assertThat(api.limitFor(user)).contains(new BucketSpec(100, 600, Duration.ofMinutes(1)));
        assertThat(api.limitFor(apiKey)).contains(new BucketSpec(200, 1000, Duration.ofMinutes(1)));
        assertThat(api.bucketKey(address)).isEqualTo("api:ip:203.0.113.5");
        assertThat(api.bucketKey(user)).isEqualTo("api:user:" + tenant + ":" + userId);
        // Same id, other kind: never the same bucket.
        assertThat(api.bucketKey(apiKey)).isEqualTo("api:api-key:" + tenant + ":" + userId);

        LimitedRoute auth = groups.match(request(HttpMethod.POST, "/api/v1/auth/login")).orElseThrow();
        assertThat(auth.limitFor(user)).isEmpty();
        assertThat(auth.limitFor(apiKey)).isEmpty();
    }

    @Test
    @DisplayName("a repeated name, a bad pattern or an impossible bucket stops the startup")
    void badGroups() {
        assertThatThrownBy(() -> RouteGroups.of(List.of(
                new RouteGroup("api", List.of("/a/**"), null, TWENTY_A_MINUTE, null, null),
                new RouteGroup("api", List.of("/b/**"), null, TWENTY_A_MINUTE, null, null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'api' is used twice");
        assertThatThrownBy(() -> RouteGroups.of(List.of(new RouteGroup("bad", List.of("/a/{oops"), null, TWENTY_A_MINUTE, null, null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad'");
        assertThatThrownBy(() -> RouteGroups.of(List.of(new RouteGroup("slow", List.of("/a"), null,
                new Bucket(1000, 1, Duration.ofDays(1)), null, null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'slow'").hasMessageContaining("to fill");
    }

    private Optional<String> group(HttpMethod method, String path) {
        return groups.match(request(method, path)).map(LimitedRoute::name);
    }

    private static MockServerHttpRequest request(HttpMethod method, String path) {
        return MockServerHttpRequest.method(method, path).build();
    }
}
