package io.hostrail.shared.ratelimit;

import reactor.core.publisher.Mono;

/**
 * Token buckets by key ("api-key:…", "user:…", "ip:…", each with its route group). A refusal is a
 * decision, not an error: the Mono fails only when the limiter itself cannot answer.
 */
public interface RateLimiter {

    /** Takes one token from the bucket {@code key}, shaped by {@code spec}, if it has one. */
    Mono<RateLimitDecision> tryConsume(String key, BucketSpec spec);
}
