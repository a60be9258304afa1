package io.hostrail.api.ratelimit;

import static io.hostrail.api.support.Identities.login;
import static io.hostrail.api.support.Identities.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.adapters.redis.FailOpenRateLimiter;
import io.hostrail.adapters.redis.RedisTokenBuckets;
import io.hostrail.api.support.HostrailIntegrationTest;
import io.hostrail.identity.service.TenantBootstrap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Rate limits through the whole application and the shared Redis. The limited routes and their tiny
 * buckets are the test profile's (application-test.yaml): {@code /test/probe/limited/**} allows 3
 * requests a minute per address, {@code /test/probe/caller-limited/**} 3 a minute per user and per API
 * key. Nothing
 * serves those paths, so an allowed request is a 404: the filter sits in front of routing. The test
 * profile trusts the loopback as a proxy, so each test poses as clients of its own through
 * X-Forwarded-For and no two tests share a bucket. That two instances share buckets through Redis is
 * shown by the adapter's own tests ({@code RedisTokenBucketsIT}).
 */
@HostrailIntegrationTest
class RateLimitIT {

    private static final String LIMITED = "/test/probe/limited/";
    private static final String CALLER_LIMITED = "/test/probe/caller-limited/";
    private static final int CAPACITY = 3;
    private static final String PASSWORD = "a long and unguessable passphrase";

    @Autowired WebTestClient http;
    @Autowired TenantBootstrap bootstrap;
    @Autowired ReactiveStringRedisTemplate redis;
    @Autowired FailOpenRateLimiter limiter;

    @AfterEach
    void servedFromRedis() {
        // Had Redis been slow, local buckets would have answered: the tests would not show shared limits.
        assertThat(limiter.isDegraded()).isFalse();
    }

    @Test
    @DisplayName("a burst: exactly the capacity goes through, then 429 problem+json with Retry-After and RateLimit headers")
    void burstIsCutAtCapacity() {
        String client = "203.0.113.10";
        for (int i = 0; i < CAPACITY; i++) {
            EntityExchangeResult<byte[]> allowed = get(LIMITED + "burst", client, null);
            assertThat(allowed.getStatus()).as("request %d", i + 1).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(header(allowed, "RateLimit-Limit")).isEqualTo(Integer.toString(CAPACITY));
            assertThat(header(allowed, "RateLimit-Remaining")).isEqualTo(Integer.toString(CAPACITY - 1 - i));
            assertThat(Long.parseLong(header(allowed, "RateLimit-Reset"))).isBetween(1L, 60L);
            assertThat(header(allowed, HttpHeaders.RETRY_AFTER)).isNull();
        }
        for (int i = 0; i < 2; i++) {
            http.get().uri(LIMITED + "burst").header("X-Forwarded-For", client).header("X-Request-Id", "burst-" + i)
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    // 3 a minute: a token every 20 s, so the wait is at most that.
                    .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Long.parseLong(value)).isBetween(1L, 20L))
                    .expectHeader().valueEquals("RateLimit-Limit", Integer.toString(CAPACITY))
                    .expectHeader().valueEquals("RateLimit-Remaining", "0")
                    .expectHeader().value("RateLimit-Reset", value -> assertThat(Long.parseLong(value)).isBetween(1L, 60L))
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("https://hostrail.io/problems/rate_limited")
                    .jsonPath("$.title").isEqualTo("Too many requests")
                    .jsonPath("$.status").isEqualTo(429)
                    .jsonPath("$.code").isEqualTo("rate_limited")
                    .jsonPath("$.instance").isEqualTo(LIMITED + "burst")
                    .jsonPath("$.requestId").isEqualTo("burst-" + i)
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                            .startsWith("Too many requests.").doesNotContain(client).doesNotContain("probe-limited"));
        }
        assertThat(redis.hasKey(RedisTokenBuckets.redisKey("probe-limited:ip:" + client)).block(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    @DisplayName("another address keeps its own bucket; other paths of the group share the exhausted one")
    void otherClientsAreNotAffected() {
        exhaust("203.0.113.20");

        EntityExchangeResult<byte[]> other = get(LIMITED + "anything", "203.0.113.21", null);
        assertThat(other.getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(header(other, "RateLimit-Remaining")).isEqualTo(Integer.toString(CAPACITY - 1));
        assertThat(get(LIMITED + "elsewhere/in/the/group", "203.0.113.20", null).getStatus())
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        // Routes outside every group are not limited at all.
        assertThat(get("/test/no-such-thing", "203.0.113.20", null).getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    @DisplayName("behind a trusted proxy, addresses the client prepends to X-Forwarded-For buy it no fresh bucket")
    void spoofedForwardedForIsIgnored() {
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(get(LIMITED + "spoof", "198.18.0." + i + ", 203.0.113.30", null).getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        }
        assertThat(get(LIMITED + "spoof", "198.18.0.99, 203.0.113.30", null).getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    @DisplayName("a signed-in user is limited as a user, whatever address each request comes from")
    void perUserLimit() {
        String tenantA = newTenant(bootstrap, PASSWORD);
        Map<String, Object> ann = login(http, tenantA, "owner@" + tenantA + ".test", PASSWORD);
        String annToken = (String) ann.get("accessToken");
        String tenantB = newTenant(bootstrap, PASSWORD);
        String bobToken = (String) login(http, tenantB, "owner@" + tenantB + ".test", PASSWORD).get("accessToken");

        for (int i = 0; i < CAPACITY; i++) {
            EntityExchangeResult<byte[]> allowed = get(CALLER_LIMITED + "x", "198.51.100." + (10 + i), annToken);
            assertThat(allowed.getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
            // The user's bucket (3) is tighter than the address's (1000), so it is the one described.
            assertThat(header(allowed, "RateLimit-Limit")).isEqualTo(Integer.toString(CAPACITY));
            assertThat(header(allowed, "RateLimit-Remaining")).isEqualTo(Integer.toString(CAPACITY - 1 - i));
        }
        EntityExchangeResult<byte[]> refused = get(CALLER_LIMITED + "x", "198.51.100.20", annToken);
        assertThat(refused.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(Long.parseLong(header(refused, HttpHeaders.RETRY_AFTER))).isBetween(1L, 20L);

        // The same address, another user or nobody signed in: not refused.
        assertThat(get(CALLER_LIMITED + "x", "198.51.100.20", bobToken).getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        EntityExchangeResult<byte[]> anonymous = get(CALLER_LIMITED + "x", "198.51.100.20", null);
        assertThat(anonymous.getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(header(anonymous, "RateLimit-Limit")).isEqualTo("1000");

        Map<?, ?> user = (Map<?, ?>) ann.get("user");
        String userKey = "probe-caller-limited:user:" + user.get("tenantId") + ":" + user.get("userId");
        assertThat(redis.hasKey(RedisTokenBuckets.redisKey(userKey)).block(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    @DisplayName("an API key is limited as a key, apart from the user who made it")
    void perApiKeyLimit() {
        String tenant = newTenant(bootstrap, PASSWORD);
        String ownerToken = (String) login(http, tenant, "owner@" + tenant + ".test", PASSWORD).get("accessToken");
        Map<?, ?> created = http.post().uri("/api/v1/api-keys").headers(h -> h.setBearerAuth(ownerToken))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "rate limited", "scopes", List.of("user:read")))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String key = (String) created.get("key");

        for (int i = 0; i < CAPACITY; i++) {
            EntityExchangeResult<byte[]> allowed = withApiKey(key, "198.51.100." + (30 + i));
            assertThat(allowed.getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(header(allowed, "RateLimit-Remaining")).isEqualTo(Integer.toString(CAPACITY - 1 - i));
        }
        assertThat(withApiKey(key, "198.51.100.40").getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        // The owner who made the key keeps a bucket of their own.
        assertThat(get(CALLER_LIMITED + "x", "198.51.100.40", ownerToken).getStatus()).isEqualTo(HttpStatus.NOT_FOUND);

        String keyId = (String) ((Map<?, ?>) created.get("apiKey")).get("id");
        String tenantId = (String) ((Map<?, ?>) login(http, tenant, "owner@" + tenant + ".test", PASSWORD).get("user")).get("tenantId");
        assertThat(redis.hasKey(RedisTokenBuckets.redisKey("probe-caller-limited:api-key:" + tenantId + ":" + keyId))
                .block(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    @DisplayName("sign-in is limited in its own group, and its errors carry the RateLimit headers too")
    void signInGroup() {
        http.post().uri("/api/v1/auth/login").header("X-Forwarded-For", "203.0.113.40").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant", "no-such-tenant", "email", "nobody@example.com", "password", "not the password"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("RateLimit-Limit", "100000")
                .expectHeader().valueEquals("RateLimit-Remaining", "99999");
    }

    @Test
    @DisplayName("health is never limited, and reports rate limiting UP while Redis answers")
    void healthIsNeverLimited() {
        for (int i = 0; i < CAPACITY + 2; i++) {
            http.get().uri("/actuator/health/rateLimiting").header("X-Forwarded-For", "203.0.113.50").exchange()
                    .expectStatus().isOk()
                    .expectHeader().doesNotExist("RateLimit-Limit")
                    .expectBody().jsonPath("$.status").isEqualTo("UP");
        }
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.rateLimiting.status").isEqualTo("UP");
    }

    private void exhaust(String client) {
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(get(LIMITED + "exhaust", client, null).getStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        }
        assertThat(get(LIMITED + "exhaust", client, null).getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    private EntityExchangeResult<byte[]> get(String path, String forwardedFor, String accessToken) {
        return http.get().uri(path)
                .headers(headers -> {
                    headers.set("X-Forwarded-For", forwardedFor);
                    if (accessToken != null) {
                        headers.setBearerAuth(accessToken);
                    }
                })
                .exchange()
                .expectBody().returnResult();
    }

    private EntityExchangeResult<byte[]> withApiKey(String key, String forwardedFor) {
        return http.get().uri(CALLER_LIMITED + "x").header("X-API-Key", key).header("X-Forwarded-For", forwardedFor)
                .exchange().expectBody().returnResult();
    }

    private static String header(EntityExchangeResult<?> result, String name) {
        return result.getResponseHeaders().getFirst(name);
    }
}
