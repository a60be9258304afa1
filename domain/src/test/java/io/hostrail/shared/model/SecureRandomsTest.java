package io.hostrail.shared.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class SecureRandomsTest {

    @Test
    void returnsADrbg() {
        assertThat(SecureRandoms.warmedDrbg().getAlgorithm()).isEqualTo("DRBG");
    }

    @Test
    void returnsIndependentInstancesThatProduceDifferentBytes() {
        SecureRandom first = SecureRandoms.warmedDrbg();
        SecureRandom second = SecureRandoms.warmedDrbg();
        byte[] a = new byte[32];
        byte[] b = new byte[32];

        first.nextBytes(a);
        second.nextBytes(b);

        assertThat(first).isNotSameAs(second);
        assertThat(a).isNotEqualTo(b);
    }

    /** BlockHound is installed in this JVM and treats Reactor's parallel threads as event loops. */
    @Test
    void generatesOnAnEventLoopThreadWithoutBlocking() {
        SecureRandom drbg = SecureRandoms.warmedDrbg();

        Mono<byte[]> bytesOnParallelThread = Mono.fromCallable(() -> {
            byte[] bytes = new byte[4_096];
            for (int i = 0; i < 100; i++) {
                drbg.nextBytes(bytes);
            }
            return bytes;
        }).subscribeOn(Schedulers.parallel());

        StepVerifier.create(bytesOnParallelThread)
                .as("4096 bytes generated 100 times on a parallel thread")
                .assertNext(bytes -> assertThat(bytes).hasSize(4_096))
                .verifyComplete();
    }
}
