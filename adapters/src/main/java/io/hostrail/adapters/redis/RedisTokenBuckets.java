package io.hostrail.adapters.redis;

import io.hostrail.shared.ratelimit.BucketScale;
import io.hostrail.shared.ratelimit.BucketSpec;
import io.hostrail.shared.ratelimit.RateLimitDecision;
import io.hostrail.shared.ratelimit.RateLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Token buckets shared by every instance through Redis. Each request runs one Lua script
 * ({@code token_bucket.lua}, sent by EVALSHA with a fallback to EVAL) that refills by Redis's own
 * clock, takes a token if there is one and writes the bucket back, atomically. Bucket keys expire
 * when the bucket would be full again, so idle keys leave Redis by themselves.
 */
public final class RedisTokenBuckets implements RateLimiter {

    /** Keys are {@code hostrail:rl:{<key>}}; the braces make the whole key its cluster hash tag. */
    public static final String KEY_PREFIX = "hostrail:rl:";

    private static final long MICROSECOND_NANOS = 1_000;
    /** Lua numbers are doubles: integers are exact up to 2^53. */
    private static final long LUA_MAX_EXACT = 1L << 53;

    private final ReactiveStringRedisTemplate redis;
    private final RedisScript<List<Object>> script;

    public RedisTokenBuckets(ReactiveStringRedisTemplate redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.script = RedisScript.of(loadScript(), listOfValues());
    }

    /** The Redis key holding the bucket {@code key}. */
    public static String redisKey(String key) {
        return KEY_PREFIX + "{" + key + "}";
    }

    @Override
    public Mono<RateLimitDecision> tryConsume(String key, BucketSpec spec) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(spec, "spec");
        BucketScale scale = BucketScale.of(spec, MICROSECOND_NANOS, LUA_MAX_EXACT);
        List<String> args = List.of(Long.toString(scale.capacityUnits()), Long.toString(scale.unitsPerToken()),
                Long.toString(scale.unitsPerTick()), Long.toString(scale.tickNanos() / MICROSECOND_NANOS));
        return redis.execute(script, List.of(redisKey(key)), args)
                .cast(Object.class)
                .collectList()
                .map(reply -> decision(spec, reply));
    }

    private static RateLimitDecision decision(BucketSpec spec, List<Object> reply) {
        // Depending on the driver the four integers come as four elements or as one list.
        List<?> values = reply.size() == 1 && reply.getFirst() instanceof List<?> nested ? nested : reply;
        if (values.size() != 4 || !values.stream().allMatch(Long.class::isInstance)) {
            throw new IllegalStateException("unexpected reply from the token bucket script: " + reply);
        }
        boolean taken = (Long) values.get(0) == 1L;
        return new RateLimitDecision(taken, spec.capacity(), (Long) values.get(1),
                Duration.ofMillis((Long) values.get(2)), Duration.ofMillis((Long) values.get(3)));
    }

    private static String loadScript() {
        try (InputStream in = RedisTokenBuckets.class.getResourceAsStream("token_bucket.lua")) {
            if (in == null) {
                throw new IllegalStateException("token_bucket.lua is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token_bucket.lua", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<List<Object>> listOfValues() {
        return (Class<List<Object>>) (Class<?>) List.class;
    }
}
