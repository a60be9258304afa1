package io.hostrail.api.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** BlockHound is installed in this test JVM (by blockhound-junit-platform) and catches blocking on non-blocking threads. */
class BlockHoundIsActiveTest {

    @Test
    void sleepingOnAParallelSchedulerThreadFails() {
        Mono<Long> blocksAnEventLoop = Mono.delay(Duration.ofMillis(1), Schedulers.parallel())
                .doOnNext(tick -> sleep(Duration.ofMillis(10)));

        StepVerifier.create(blocksAnEventLoop)
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(BlockingOperationError.class)
                        .hasMessageContaining("Thread.sleep"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void blockingOnABoundedElasticThreadIsAllowed() {
        Mono<Long> offloaded = Mono.delay(Duration.ofMillis(1), Schedulers.boundedElastic())
                .doOnNext(tick -> sleep(Duration.ofMillis(10)));

        StepVerifier.create(offloaded).expectNext(0L).verifyComplete();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
