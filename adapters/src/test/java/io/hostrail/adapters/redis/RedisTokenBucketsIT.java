package io.hostrail.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.infra.embedded.EmbeddedRedisServer;
import io.hostrail.shared.ratelimit.BucketSpec;
import io.hostrail.shared.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The token bucket script against a real Redis, reached the way two app instances reach it: by separate connections. */
class RedisTokenBucketsIT {

    private static EmbeddedRedisServer server;
    private static LettuceConnectionFactory instanceA;
    private static LettuceConnectionFactory instanceB;
    private static ReactiveStringRedisTemplate redis;
    private static RedisTokenBuckets limiterA;
    private static RedisTokenBuckets limiterB;

    @BeforeAll
    static void startRedis() {
        server = EmbeddedRedisServer.start(null, 0);
        instanceA = connect(server.port());
        instanceB = connect(server.port());
        redis = new ReactiveStringRedisTemplate(instanceA);
        limiterA = new RedisTokenBuckets(redis);
        limiterB = new RedisTokenBuckets(new ReactiveStringRedisTemplate(instanceB));
    }

    @AfterAll
    static void stopRedis() {
        if (instanceA != null) {
            instanceA.destroy();
        }
        if (instanceB != null) {
            instanceB.destroy();
        }
        if (server != null) {
            server.close();
        }
    }

    static LettuceConnectionFactory connect(int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @Test
    @DisplayName("a burst of capacity + 5 gets exactly capacity tokens, counting down, then refusals with a retry-after")
    void burst() {
        BucketSpec spec = new BucketSpec(10, 1, Duration.ofMinutes(1));
        String key = uniqueKey();

        List<RateLimitDecision> decisions = Flux.range(0, 15).concatMap(i -> limiterA.tryConsume(key, spec)).collectList().block();

        assertThat(decisions).hasSize(15);
        assertThat(decisions.subList(0, 10)).allMatch(RateLimitDecision::allowed)
                .extracting(RateLimitDecision::remaining).containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
        assertThat(decisions.subList(10, 15)).noneMatch(RateLimitDecision::allowed).allSatisfy(refused -> {
            assertThat(refused.limit()).isEqualTo(10);
            assertThat(refused.remaining()).isZero();
            assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
            assertThat(refused.resetAfter()).isGreaterThan(Duration.ofMinutes(9)).isLessThanOrEqualTo(Duration.ofMinutes(10));
        });
    }

    @Test
    @DisplayName("two app instances, 30 concurrent calls each, draw from one bucket of 40: exactly 40 allowed")
    void twoInstancesShareOneBucket() {
        BucketSpec spec = new BucketSpec(40, 1, Duration.ofHours(1));
        String key = uniqueKey();

        Flux<RateLimitDecision> both = Flux.merge(
                Flux.range(0, 30).flatMap(i -> limiterA.tryConsume(key, spec)),
                Flux.range(0, 30).flatMap(i -> limiterB.tryConsume(key, spec)));

        StepVerifier.create(both.filter(RateLimitDecision::allowed).count())
                .expectNext(40L)
                .verifyComplete();
        StepVerifier.create(limiterB.tryConsume(key, spec))
                .assertNext(decision -> assertThat(decision.allowed()).isFalse())
                .verifyComplete();
    }

    @Test
    @DisplayName("an emptied bucket refills: waiting out retry-after brings a token back")
    void refill() throws InterruptedException {
        BucketSpec twoPer200ms = new BucketSpec(2, 2, Duration.ofMillis(200));
        String key = uniqueKey();
        limiterA.tryConsume(key, twoPer200ms).block();
        limiterA.tryConsume(key, twoPer200ms).block();

        RateLimitDecision refused = limiterA.tryConsume(key, twoPer200ms).block();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(100));

        Thread.sleep(refused.retryAfter().toMillis());

        RateLimitDecision afterWaiting = limiterB.tryConsume(key, twoPer200ms).block();
        assertThat(afterWaiting.allowed()).as("refilled by Redis's clock, seen by the other instance too").isTrue();
    }

    @Test
    @DisplayName("bucket keys are namespaced, hash-tagged and expire once the bucket would be full")
    void keysExpire() {
        BucketSpec spec = new BucketSpec(5, 1, Duration.ofSeconds(2));
        String key = uniqueKey();

        limiterA.tryConsume(key, spec).block();

        String redisKey = "hostrail:rl:{" + key + "}";
        assertThat(RedisTokenBuckets.redisKey(key)).isEqualTo(redisKey);
        StepVerifier.create(redis.getExpire(redisKey))
                .assertNext(ttl -> assertThat(ttl).isPositive().isLessThanOrEqualTo(spec.timeToFill()))
                .verifyComplete();
        StepVerifier.create(redis.<String, String>opsForHash().entries(redisKey).collectList())
                .assertNext(fields -> assertThat(fields).extracting(Map.Entry::getKey)
                        .containsExactlyInAnyOrder("t", "ts", "u"))
                .verifyComplete();
    }

    @Test
    @DisplayName("an awkward rate (3 per 7 s) gives retry-after and reset within what the spec allows")
    void exactArithmetic() {
        // 3 tokens per 7 s: a token every 2.333... s, kept in whole units.
        BucketSpec spec = new BucketSpec(3, 3, Duration.ofSeconds(7));
        String key = uniqueKey();

        List<RateLimitDecision> decisions = Flux.range(0, 4).concatMap(i -> limiterA.tryConsume(key, spec)).collectList().block();

        assertThat(decisions).extracting(RateLimitDecision::allowed).containsExactly(true, true, true, false);
        assertThat(decisions.get(3).retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(2_334));
        assertThat(decisions.get(3).resetAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(7));
    }

    private static String uniqueKey() {
        return "test:" + UUID.randomUUID();
    }
}
