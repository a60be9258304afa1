package io.hostrail.api.ratelimit;

import io.hostrail.shared.ratelimit.BucketSpec;
import io.hostrail.shared.ratelimit.RateLimitDecision;
import io.hostrail.shared.ratelimit.RateLimiter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps Redis's connect off the event loops. Spring Data Redis opens its shared Lettuce connection
 * synchronously when a command first needs it, and again on every command until a connect succeeds (as
 * while Redis is down since startup). On a Netty event loop that would stall every request sharing the
 * loop for up to the connect timeout, which no reactive timeout can cut short.
 *
 * <p>So calls are subscribed on {@code boundedElastic} until one has succeeded, and again after any
 * failure. Once connected, Lettuce reuses the connection and reconnects it in the background without
 * blocking, so calls run where they are, with no thread hop on the hot path.
 */
final class OffloadedUntilConnected implements RateLimiter {

    private final RateLimiter redis;
    private final Scheduler offload;
    private final AtomicBoolean connected = new AtomicBoolean();

    OffloadedUntilConnected(RateLimiter redis) {
        this(redis, Schedulers.boundedElastic());
    }

    OffloadedUntilConnected(RateLimiter redis, Scheduler offload) {
        this.redis = Objects.requireNonNull(redis, "redis limiter");
        this.offload = Objects.requireNonNull(offload, "offload scheduler");
    }

    @Override
    public Mono<RateLimitDecision> tryConsume(String key, BucketSpec spec) {
        Mono<RateLimitDecision> call = Mono.defer(() -> redis.tryConsume(key, spec));
        if (!connected.get()) {
            call = call.subscribeOn(offload);
        }
        return call
                .doOnNext(decision -> connected.set(true))
                .doOnError(error -> connected.set(false));
    }
}
