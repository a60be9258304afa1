package io.hostrail.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ConsumerRetryPolicyTest {

    private final ConsumerRetryPolicy policy = new ConsumerRetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    @DisplayName("an effect that keeps failing is tried max-attempts times, then its own error surfaces")
    void effectFailuresAreBounded() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> failing = Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(new IllegalStateException("bad data in event"));
        });

        StepVerifier.withVirtualTime(() -> policy.apply(failing))
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(1))
                .expectErrorMessage("bad data in event")
                .verify(Duration.ofSeconds(5));
        assertThat(attempts).hasValue(3);
    }

    @Test
    @DisplayName("an effect that fails twice then succeeds succeeds, on the third attempt")
    void effectThatRecovers() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> flaky = Mono.defer(() -> attempts.incrementAndGet() < 3
                ? Mono.error(new IllegalStateException("not yet"))
                : Mono.just("applied"));

        StepVerifier.withVirtualTime(() -> policy.apply(flaky))
                .expectSubscription()
                .thenAwait(Duration.ofMinutes(1))
                .expectNext("applied")
                .verifyComplete();
        assertThat(attempts).hasValue(3);
    }

    @Test
    @DisplayName("a database outage is waited out however long it lasts, without using up attempts")
    void infrastructureFailuresAreRetriedUntilTheyPass() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> duringOutage = Mono.defer(() -> attempts.incrementAndGet() <= 50
                ? Mono.error(new CannotCreateTransactionException("connection refused",
                        new R2dbcNonTransientResourceException("connection refused")))
                : Mono.just("applied"));

        StepVerifier.withVirtualTime(() -> policy.apply(duringOutage))
                .expectSubscription()
                .thenAwait(Duration.ofHours(1))
                .expectNext("applied")
                .verifyComplete();
        assertThat(attempts).hasValue(51);
    }

    @Test
    @DisplayName("an outage in the middle does not reset or consume the effect's own attempts")
    void mixedFailures() {
        AtomicInteger attempts = new AtomicInteger();
        Mono<String> mixed = Mono.defer(() -> switch (attempts.incrementAndGet()) {
            case 1 -> Mono.error(new IllegalStateException("bug"));
            case 2, 3, 4, 5 -> Mono.error(new DataAccessResourceFailureException("database restarting"));
            default -> Mono.error(new IllegalStateException("bug"));
        });

        StepVerifier.withVirtualTime(() -> policy.apply(mixed))
                .expectSubscription()
                .thenAwait(Duration.ofHours(1))
                .expectErrorMessage("bug")
                .verify(Duration.ofSeconds(5));
        // 1 effect failure, 4 outage retries, then 2 more effect failures: 3 effect attempts in all.
        assertThat(attempts).hasValue(7);
    }

    @Test
    void classifiesFailures() {
        assertThat(ConsumerRetryPolicy.isInfrastructureFailure(new R2dbcTransientResourceException("pool exhausted"))).isTrue();
        assertThat(ConsumerRetryPolicy.isInfrastructureFailure(new RuntimeException(new ConnectException("refused")))).isTrue();
        assertThat(ConsumerRetryPolicy.isInfrastructureFailure(new DataIntegrityViolationException("duplicate key"))).isFalse();
        assertThat(ConsumerRetryPolicy.isInfrastructureFailure(new IllegalArgumentException("bad event"))).isFalse();
        assertThat(ConsumerRetryPolicy.isInfrastructureFailure(
                new org.springframework.dao.OptimisticLockingFailureException("stale version"))).isFalse();
    }
}
