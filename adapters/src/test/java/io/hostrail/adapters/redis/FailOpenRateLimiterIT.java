package io.hostrail.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostrail.infra.embedded.EmbeddedRedisServer;
import io.hostrail.shared.ratelimit.BucketSpec;
import io.hostrail.shared.ratelimit.LocalTokenBuckets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;

/** Redis stopped under a running limiter, then started again on the same port. */
class FailOpenRateLimiterIT {

    private static final BucketSpec SPEC = new BucketSpec(100, 1, Duration.ofMinutes(1));
    private static final String KEY = "ip:198.51.100.23";

    private static EmbeddedRedisServer server;
    private static LettuceConnectionFactory connection;
    private static ReactiveStringRedisTemplate redis;

    @BeforeAll
    static void startRedis() {
        server = EmbeddedRedisServer.start(null, 0);
        connection = RedisTokenBucketsIT.connect(server.port());
        redis = new ReactiveStringRedisTemplate(connection);
    }

    @AfterAll
    static void stopRedis() {
        if (connection != null) {
            connection.destroy();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("Redis down: requests are still answered, from local buckets, and the limiter is degraded until Redis is back")
    void failsOpenAndRecovers() {
        Clock clock = Clock.systemUTC();
        FailOpenRateLimiter limiter = new FailOpenRateLimiter(new RedisTokenBuckets(redis), new LocalTokenBuckets(clock),
                Duration.ofMillis(500), Duration.ofMillis(100), clock);

        StepVerifier.create(limiter.tryConsume(KEY, SPEC))
                .assertNext(decision -> assertThat(decision.remaining()).isEqualTo(99))
                .verifyComplete();
        assertThat(limiter.isDegraded()).isFalse();
        assertThat(redis.hasKey(RedisTokenBuckets.redisKey(KEY)).block()).as("answered by Redis").isTrue();

        int port = server.port();
        server.close();

        for (int i = 0; i < 5; i++) {
            StepVerifier.create(limiter.tryConsume(KEY, SPEC))
                    .assertNext(decision -> assertThat(decision.allowed()).isTrue())
                    .verifyComplete();
            assertThat(limiter.isDegraded()).isTrue();
        }

        server = EmbeddedRedisServer.start(null, port);

        await("the limiter uses Redis again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> limiter.tryConsume(KEY, SPEC).block() != null && !limiter.isDegraded());
        assertThat(redis.hasKey(RedisTokenBuckets.redisKey(KEY)).block()).as("the new Redis holds the bucket").isTrue();
    }
}
