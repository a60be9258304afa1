package io.hostrail.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.shared.time.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class LocalTokenBucketsTest {

    private static final BucketSpec FIVE_THEN_ONE_PER_SECOND = new BucketSpec(5, 1, Duration.ofSeconds(1));

    private final SettableClock clock = SettableClock.at("2026-03-01T12:00:00Z");
    private final LocalTokenBuckets buckets = new LocalTokenBuckets(clock);

    @Test
    @DisplayName("a fresh bucket allows a burst of its capacity, counting down what remains, then refuses")
    void burstThenRefusal() {
        StepVerifier.create(Flux.range(0, 6).concatMap(i -> buckets.tryConsume("ip:203.0.113.7", FIVE_THEN_ONE_PER_SECOND)))
                .as("five allowed, remaining 4..0")
                .expectNext(allowed(5, 4, Duration.ofSeconds(1)))
                .expectNext(allowed(5, 3, Duration.ofSeconds(2)))
                .expectNext(allowed(5, 2, Duration.ofSeconds(3)))
                .expectNext(allowed(5, 1, Duration.ofSeconds(4)))
                .expectNext(allowed(5, 0, Duration.ofSeconds(5)))
                .as("the sixth refused, retry when one token has refilled")
                .expectNext(new RateLimitDecision(false, 5, 0, Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .verifyComplete();
    }

    @Test
    @DisplayName("a refused caller that waits exactly retry-after gets a token, and not a nanosecond sooner")
    void retryAfterIsExact() {
        BucketSpec spec = new BucketSpec(2, 3, Duration.ofSeconds(7));
        drain("user:42", spec);
        clock.advance(Duration.ofMillis(500));

        RateLimitDecision refused = consume("user:42", spec);
        assertThat(refused.allowed()).isFalse();
        // One token every 7/3 s, 0.5 s of it already gone: 2333333334 ns - 0.5 s, rounded up to the nanosecond.
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofNanos(1_833_333_334));

        clock.advance(refused.retryAfter().minusNanos(1));
        assertThat(consume("user:42", spec).allowed()).isFalse();
        clock.advance(Duration.ofNanos(1));
        assertThat(consume("user:42", spec).allowed()).isTrue();
    }

    @Test
    @DisplayName("refill is continuous: half a period brings half the refill tokens")
    void fractionalRefill() {
        BucketSpec spec = new BucketSpec(4, 2, Duration.ofSeconds(1));
        drain("k", spec);

        clock.advance(Duration.ofMillis(250));
        RateLimitDecision halfAToken = consume("k", spec);
        assertThat(halfAToken.allowed()).isFalse();
        assertThat(halfAToken.retryAfter()).isEqualTo(Duration.ofMillis(250));
        assertThat(halfAToken.resetAfter()).isEqualTo(Duration.ofMillis(1750));

        clock.advance(Duration.ofMillis(250));
        assertThat(consume("k", spec)).isEqualTo(allowed(4, 0, Duration.ofSeconds(2)));

        clock.advance(Duration.ofMillis(750));
        // 1.5 tokens back; one taken, half left over for the next.
        assertThat(consume("k", spec)).isEqualTo(allowed(4, 0, Duration.ofMillis(1750)));
        clock.advance(Duration.ofMillis(250));
        assertThat(consume("k", spec).allowed()).isTrue();
    }

    @Test
    @DisplayName("a bucket read every millisecond refills exactly as fast as one left alone: no refill is rounded away")
    void frequentReadsLoseNoRefill() {
        BucketSpec oneEveryThreeSeconds = new BucketSpec(1, 1, Duration.ofSeconds(3));
        drain("hammered", oneEveryThreeSeconds);

        int refusals = 0;
        while (true) {
            clock.advance(Duration.ofMillis(1));
            if (consume("hammered", oneEveryThreeSeconds).allowed()) {
                break;
            }
            refusals++;
        }
        assertThat(refusals).isEqualTo(2_999);
    }

    @Test
    @DisplayName("an idle bucket fills up to its capacity and no further")
    void refillStopsAtCapacity() {
        drain("k", FIVE_THEN_ONE_PER_SECOND);

        clock.advance(Duration.ofHours(3));

        assertThat(consume("k", FIVE_THEN_ONE_PER_SECOND)).isEqualTo(allowed(5, 4, Duration.ofSeconds(1)));
    }

    @Test
    @DisplayName("keys have independent buckets")
    void independentKeys() {
        drain("api-key:a", FIVE_THEN_ONE_PER_SECOND);

        assertThat(consume("api-key:a", FIVE_THEN_ONE_PER_SECOND).allowed()).isFalse();
        assertThat(consume("api-key:b", FIVE_THEN_ONE_PER_SECOND)).isEqualTo(allowed(5, 4, Duration.ofSeconds(1)));
    }

    @Test
    @DisplayName("a key whose spec shrinks keeps its share of tokens, at most the new capacity")
    void specChangeForAKey() {
        BucketSpec ten = BucketSpec.perPeriod(10, Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            consume("k", ten);
        }

        RateLimitDecision afterShrink = consume("k", BucketSpec.perPeriod(4, Duration.ofSeconds(1)));

        assertThat(afterShrink.allowed()).isTrue();
        assertThat(afterShrink.limit()).isEqualTo(4);
        assertThat(afterShrink.remaining()).isEqualTo(3);
    }

    @Test
    @DisplayName("concurrent callers on many threads never get more than the capacity between them")
    void threadSafe() {
        BucketSpec spec = new BucketSpec(1_000, 1, Duration.ofHours(1));

        StepVerifier.create(Flux.range(0, 5_000)
                        .parallel(8).runOn(Schedulers.parallel())
                        .flatMap(i -> buckets.tryConsume("shared", spec))
                        .filter(RateLimitDecision::allowed)
                        .sequential()
                        .count())
                .expectNext(1_000L)
                .verifyComplete();
    }

    @Test
    @DisplayName("buckets left alone until full are forgotten, so idle keys cost no memory")
    void idleBucketsAreSwept() {
        for (int i = 0; i < 500; i++) {
            consume("ip:" + i, FIVE_THEN_ONE_PER_SECOND);
        }
        assertThat(buckets.size()).isEqualTo(500);

        clock.advance(Duration.ofSeconds(2));
        consume("ip:new", FIVE_THEN_ONE_PER_SECOND);

        assertThat(buckets.size()).as("1 s after their one token was taken, the 500 were full again").isEqualTo(1);
    }

    @Test
    @DisplayName("past the cap, buckets that would be full soonest are evicted; a drained one keeps its state")
    void memoryIsCapped() {
        LocalTokenBuckets capped = new LocalTokenBuckets(clock, 100);
        for (int i = 0; i < 5; i++) {
            consume(capped, "abuser", FIVE_THEN_ONE_PER_SECOND);
        }

        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            consume(capped, "spray:" + i, FIVE_THEN_ONE_PER_SECOND);
            sizes.add(capped.size());
        }

        assertThat(sizes).allMatch(size -> size <= 100);
        assertThat(consume(capped, "abuser", FIVE_THEN_ONE_PER_SECOND).allowed())
                .as("the drained bucket (full in 5 s) outlives the sprayed ones (full in 1 s)")
                .isFalse();
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> buckets.tryConsume(null, FIVE_THEN_ONE_PER_SECOND)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> buckets.tryConsume("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new LocalTokenBuckets(clock, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private RateLimitDecision consume(String key, BucketSpec spec) {
        return consume(buckets, key, spec);
    }

    private static RateLimitDecision consume(LocalTokenBuckets limiter, String key, BucketSpec spec) {
        return limiter.tryConsume(key, spec).block();
    }

    private void drain(String key, BucketSpec spec) {
        for (long i = 0; i < spec.capacity(); i++) {
            assertThat(consume(key, spec).allowed()).isTrue();
        }
        assertThat(consume(key, spec).allowed()).isFalse();
    }

    private static RateLimitDecision allowed(long limit, long remaining, Duration resetAfter) {
        return new RateLimitDecision(true, limit, remaining, Duration.ZERO, resetAfter);
    }
}
