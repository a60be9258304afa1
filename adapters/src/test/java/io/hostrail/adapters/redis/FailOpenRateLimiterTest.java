package io.hostrail.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hostrail.shared.ratelimit.BucketSpec;
import io.hostrail.shared.ratelimit.LocalTokenBuckets;
import io.hostrail.shared.ratelimit.RateLimitDecision;
import io.hostrail.shared.ratelimit.RateLimiter;
import io.hostrail.shared.time.SettableClock;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class FailOpenRateLimiterTest {

    private static final BucketSpec SPEC = new BucketSpec(3, 1, Duration.ofMinutes(1));
    /** The shared limiter's answers carry limit 999, so they cannot be mistaken for the local buckets'. */
    private static final RateLimitDecision FROM_SHARED = new RateLimitDecision(true, 999, 998, Duration.ZERO, Duration.ofSeconds(1));
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private final SettableClock clock = SettableClock.at("2026-03-01T12:00:00Z");
    private final FakeSharedLimiter shared = new FakeSharedLimiter();
    private final FailOpenRateLimiter limiter = new FailOpenRateLimiter(
            shared, new LocalTokenBuckets(clock), Duration.ofMillis(100), PROBE_INTERVAL, clock);

    private final Logger logger = (Logger) LoggerFactory.getLogger(FailOpenRateLimiter.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Test
    @DisplayName("while the shared limiter answers, its answers are passed on")
    void healthy() {
        StepVerifier.create(limiter.tryConsume("k", SPEC)).expectNext(FROM_SHARED).verifyComplete();

        assertThat(limiter.isDegraded()).isFalse();
        assertThat(shared.calls).hasValue(1);
        assertThat(logs.list).isEmpty();
    }

    @Test
    @DisplayName("a failing shared limiter is answered for by the local buckets, without an error")
    void failureFallsBackToLocal() {
        shared.answer(() -> Mono.error(new ConnectException("Connection refused")));

        StepVerifier.create(limiter.tryConsume("k", SPEC))
                .expectNext(new RateLimitDecision(true, 3, 2, Duration.ZERO, Duration.ofMinutes(1)))
                .verifyComplete();

        assertThat(limiter.isDegraded()).isTrue();
    }

    @Test
    @DisplayName("a shared limiter slower than the timeout is answered for locally")
    void timeoutFallsBackToLocal() {
        shared.answer(Mono::never);

        StepVerifier.withVirtualTime(() -> limiter.tryConsume("k", SPEC))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(decision -> assertThat(decision.limit()).isEqualTo(3))
                .verifyComplete();

        assertThat(limiter.isDegraded()).isTrue();
    }

    @Test
    @DisplayName("an empty answer counts as a failure")
    void emptyAnswerFallsBackToLocal() {
        shared.answer(Mono::empty);

        StepVerifier.create(limiter.tryConsume("k", SPEC))
                .assertNext(decision -> assertThat(decision.limit()).isEqualTo(3))
                .verifyComplete();

        assertThat(limiter.isDegraded()).isTrue();
    }

    @Test
    @DisplayName("the local buckets limit while degraded")
    void localBucketsLimit() {
        shared.answer(() -> Mono.error(new ConnectException("Connection refused")));

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryConsume("k", SPEC).block().allowed()).isTrue();
        }
        assertThat(limiter.tryConsume("k", SPEC).block().allowed()).isFalse();
    }

    @Test
    @DisplayName("while degraded only one call per probe interval tries the shared limiter; a success ends it")
    void probesThenRecovers() {
        shared.answer(() -> Mono.error(new ConnectException("Connection refused")));
        limiter.tryConsume("k", SPEC).block();
        assertThat(shared.calls).hasValue(1);

        for (int i = 0; i < 10; i++) {
            limiter.tryConsume("k", SPEC).block();
        }
        assertThat(shared.calls).as("no calls to the shared limiter within the probe interval").hasValue(1);

        clock.advance(PROBE_INTERVAL);
        limiter.tryConsume("k", SPEC).block();
        limiter.tryConsume("k", SPEC).block();
        assertThat(shared.calls).as("one probe, which failed").hasValue(2);
        assertThat(limiter.isDegraded()).isTrue();

        shared.answer(() -> Mono.just(FROM_SHARED));
        clock.advance(PROBE_INTERVAL);
        StepVerifier.create(limiter.tryConsume("k", SPEC)).expectNext(FROM_SHARED).verifyComplete();
        assertThat(limiter.isDegraded()).isFalse();

        StepVerifier.create(limiter.tryConsume("k", SPEC)).expectNext(FROM_SHARED).verifyComplete();
        assertThat(shared.calls).as("every call goes to the shared limiter again").hasValue(4);
    }

    @Test
    @DisplayName("one WARN when the shared limiter is lost and one INFO when it is back, not one per request")
    void logsTransitionsOnly() {
        shared.answer(() -> Mono.error(new ConnectException("Connection refused")));
        for (int i = 0; i < 20; i++) {
            clock.advance(PROBE_INTERVAL);
            limiter.tryConsume("k" + i, SPEC).block();
        }
        shared.answer(() -> Mono.just(FROM_SHARED));
        for (int i = 0; i < 20; i++) {
            clock.advance(PROBE_INTERVAL);
            limiter.tryConsume("k" + i, SPEC).block();
        }

        assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(logs.list.getFirst().getFormattedMessage()).contains("Connection refused");
    }

    @Test
    void refusesBadSettings() {
        LocalTokenBuckets local = new LocalTokenBuckets(clock);
        assertThatThrownBy(() -> new FailOpenRateLimiter(shared, local, Duration.ZERO, PROBE_INTERVAL, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailOpenRateLimiter(shared, local, Duration.ofMillis(100), Duration.ofSeconds(-1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Answers whatever it is told to, counting calls. */
    private static final class FakeSharedLimiter implements RateLimiter {

        final AtomicInteger calls = new AtomicInteger();
        private final AtomicReference<Supplier<Mono<RateLimitDecision>>> answer =
                new AtomicReference<>(() -> Mono.just(FROM_SHARED));

        void answer(Supplier<Mono<RateLimitDecision>> next) {
            answer.set(next);
        }

        @Override
        public Mono<RateLimitDecision> tryConsume(String key, BucketSpec spec) {
            calls.incrementAndGet();
            return answer.get().get();
        }
    }
}
