package io.hostrail.adapters.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.shared.secret.SecretBox;
import io.hostrail.shared.secret.SecretBoxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class AesGcmSecretBoxTest {

    private static final byte[] OLD_KEY = filled(0x11);
    private static final byte[] NEW_KEY = filled(0x7e);
    private static final String TOKEN = "whm-api-token-7Q2XK9-ünïcødé";
    private static final String CONTEXT =
            "tenant:0196a3f0-0000-7000-8000-000000000001:whm-server:0196a3f0-0000-7000-8000-0000000000aa:api-token";
    private static final String OTHER_ROW_CONTEXT =
            "tenant:0196a3f0-0000-7000-8000-000000000001:whm-server:0196a3f0-0000-7000-8000-0000000000bb:api-token";

    private final SecretBox box = new AesGcmSecretBox(new MasterKeys(Map.of("k1", NEW_KEY), "k1"));

    @Nested
    class Sealing {

        @Test
        void opensWhatItSealed() {
            assertThat(box.open(box.seal(TOKEN, CONTEXT), CONTEXT)).isEqualTo(TOKEN);
            assertThat(box.open(box.seal("", CONTEXT), CONTEXT)).isEmpty();
            String longSecret = "-----BEGIN PRIVATE KEY-----" + "A".repeat(4096);
            assertThat(box.open(box.seal(longSecret, CONTEXT), CONTEXT)).isEqualTo(longSecret);
        }

        @Test
        @DisplayName("hs1:<keyId>:<unpadded base64url of nonce(12) || ciphertext || tag(16)>")
        void isSelfDescribing() {
            String sealed = box.seal("abc", CONTEXT);

            assertThat(sealed).matches("hs1:k1:[A-Za-z0-9_-]+").doesNotContain("abc", "tenant");
            byte[] payload = Base64.getUrlDecoder().decode(sealed.substring("hs1:k1:".length()));
            assertThat(payload).hasSize(12 + 3 + 16);
        }

        @Test
        @DisplayName("the same secret sealed twice gives two different values: a fresh nonce each time")
        void aFreshNonceEachTime() {
            String first = box.seal(TOKEN, CONTEXT);
            String second = box.seal(TOKEN, CONTEXT);

            assertThat(first).isNotEqualTo(second);
            assertThat(Arrays.copyOf(payload(first), 12)).isNotEqualTo(Arrays.copyOf(payload(second), 12));
            assertThat(box.open(first, CONTEXT)).isEqualTo(box.open(second, CONTEXT));
        }

        @Test
        void aBlankContextIsRefused() {
            assertThatThrownBy(() -> box.seal(TOKEN, " ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> box.open(box.seal(TOKEN, CONTEXT), "")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void neverPrintsKeys() {
            String newKeyText = Base64.getEncoder().encodeToString(NEW_KEY);

            assertThat(box.toString()).contains("k1").doesNotContain(newKeyText);
        }
    }

    @Nested
    class Refusing {

        @Test
        @DisplayName("flipping any bit of any payload byte (nonce, ciphertext or tag) is detected")
        void tamperingWithAnyByteFails() {
            String sealed = box.seal(TOKEN, CONTEXT);
            byte[] payload = payload(sealed);

            for (int index = 0; index < payload.length; index++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] tampered = payload.clone();
                    tampered[index] ^= (byte) (1 << bit);
                    String forged = "hs1:k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);

                    assertThatThrownBy(() -> box.open(forged, CONTEXT))
                            .as("byte %d bit %d", index, bit)
                            .isInstanceOf(SecretBoxException.class)
                            .hasMessageContaining("does not authenticate")
                            .message().doesNotContain(TOKEN);
                }
            }
        }

        @Test
        void truncatingOrExtendingThePayloadFails() {
            byte[] payload = payload(box.seal(TOKEN, CONTEXT));
            for (byte[] forged : new byte[][] {
                    Arrays.copyOf(payload, payload.length - 1), Arrays.copyOf(payload, payload.length + 1)}) {
                String sealed = "hs1:k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(forged);
                assertThatThrownBy(() -> box.open(sealed, CONTEXT)).isInstanceOf(SecretBoxException.class);
            }
        }

        @Test
        @DisplayName("a value copied to another row does not open there")
        void theWrongContextFails() {
            String sealed = box.seal(TOKEN, CONTEXT);

            assertThatThrownBy(() -> box.open(sealed, OTHER_ROW_CONTEXT))
                    .isInstanceOf(SecretBoxException.class)
                    .hasMessageContaining("another context")
                    .message().doesNotContain(TOKEN);
            assertThatThrownBy(() -> box.open(sealed, CONTEXT + " ")).isInstanceOf(SecretBoxException.class);
        }

        @Test
        void anUnknownKeyIdFails() {
            String sealed = box.seal(TOKEN, CONTEXT).replace("hs1:k1:", "hs1:k9:");

            assertThatThrownBy(() -> box.open(sealed, CONTEXT))
                    .isInstanceOf(SecretBoxException.class)
                    .hasMessageContaining("'k9'").hasMessageContaining("not configured");
        }

        @Test
        @DisplayName("relabelling a value with another configured key id fails: the key id cannot be swapped")
        void relabellingTheKeyIdFails() {
            SecretBox twoKeys = new AesGcmSecretBox(new MasterKeys(Map.of("old", OLD_KEY, "new", NEW_KEY), "new"));
            String relabelled = twoKeys.seal(TOKEN, CONTEXT).replace("hs1:new:", "hs1:old:");

            assertThatThrownBy(() -> twoKeys.open(relabelled, CONTEXT)).isInstanceOf(SecretBoxException.class);
        }

        @Test
        void malformedValuesFail() {
            String validPayload = box.seal(TOKEN, CONTEXT).substring("hs1:k1:".length());
            String[] malformed = {
                "", "hs1:", "hs1:k1", "hs1:k1:", "hs2:k1:xx", "hs2:k1:" + validPayload, TOKEN,
                "hs1:k1:not base64!", "hs1:k1:" + validPayload + "=", "hs1:k1:" + validPayload + ":extra",
                "hs1:K1:" + validPayload, "hs1::" + validPayload, "HS1:k1:" + validPayload,
                "hs1:k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[27]),
                "hs1:k1:" + Base64.getEncoder().encodeToString(new byte[]{(byte) 0xfb, (byte) 0xff, 1}).repeat(12),
            };
            for (String value : malformed) {
                assertThatThrownBy(() -> box.open(value, CONTEXT)).as("'%s'", value)
                        .isInstanceOf(SecretBoxException.class)
                        .message().doesNotContain(TOKEN);
                assertThatThrownBy(() -> box.isSealedWithActiveKey(value)).as("'%s'", value)
                        .isInstanceOf(SecretBoxException.class);
            }
        }

        @Test
        @DisplayName("the payload has exactly one accepted spelling: stray low bits in the last character are refused")
        void nonCanonicalBase64Fails() {
            String sealed = box.seal("x", CONTEXT); // a 29-byte payload leaves 4 unused bits in the last character
            char last = sealed.charAt(sealed.length() - 1);
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            char sameBytesOtherSpelling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
            String respelt = sealed.substring(0, sealed.length() - 1) + sameBytesOtherSpelling;
            assertThat(Base64.getUrlDecoder().decode(respelt.substring(7))).isEqualTo(payload(sealed));

            assertThatThrownBy(() -> box.open(respelt, CONTEXT)).isInstanceOf(SecretBoxException.class);
        }
    }

    @Nested
    class Rotating {

        private final SecretBox beforeRotation = new AesGcmSecretBox(new MasterKeys(Map.of("old", OLD_KEY), "old"));
        private final SecretBox duringRotation =
                new AesGcmSecretBox(new MasterKeys(Map.of("old", OLD_KEY, "new", NEW_KEY), "new"));
        private final SecretBox afterRotation = new AesGcmSecretBox(new MasterKeys(Map.of("new", NEW_KEY), "new"));

        @Test
        void newValuesAreSealedWithTheActiveKey() {
            assertThat(duringRotation.activeKeyId()).isEqualTo("new");
            assertThat(duringRotation.seal(TOKEN, CONTEXT)).startsWith("hs1:new:");
        }

        @Test
        void valuesSealedUnderTheOldKeyStillOpen() {
            String sealedBefore = beforeRotation.seal(TOKEN, CONTEXT);

            assertThat(sealedBefore).startsWith("hs1:old:");
            assertThat(duringRotation.open(sealedBefore, CONTEXT)).isEqualTo(TOKEN);
        }

        @Test
        void resealingMovesAValueToTheActiveKey() {
            String sealedBefore = beforeRotation.seal(TOKEN, CONTEXT);
            assertThat(duringRotation.isSealedWithActiveKey(sealedBefore)).isFalse();

            String resealed = duringRotation.reseal(sealedBefore, CONTEXT);

            assertThat(resealed).startsWith("hs1:new:");
            assertThat(duringRotation.isSealedWithActiveKey(resealed)).isTrue();
            assertThat(duringRotation.open(resealed, CONTEXT)).isEqualTo(TOKEN);
            assertThat(afterRotation.open(resealed, CONTEXT)).isEqualTo(TOKEN);
        }

        @Test
        void resealingAValueAlreadyUnderTheActiveKeyReturnsItUnchanged() {
            String current = duringRotation.seal(TOKEN, CONTEXT);

            assertThat(duringRotation.reseal(current, CONTEXT)).isSameAs(current);
        }

        @Test
        @DisplayName("reseal still proves the value opens: a tampered or misplaced value is reported, not passed on")
        void resealingChecksTheValue() {
            String current = duringRotation.seal(TOKEN, CONTEXT);
            String old = beforeRotation.seal(TOKEN, CONTEXT);

            assertThatThrownBy(() -> duringRotation.reseal(current, OTHER_ROW_CONTEXT)).isInstanceOf(SecretBoxException.class);
            assertThatThrownBy(() -> duringRotation.reseal(old, OTHER_ROW_CONTEXT)).isInstanceOf(SecretBoxException.class);
        }

        @Test
        @DisplayName("once the old key is dropped, values still sealed under it no longer open")
        void droppingTheOldKeyStrandsUnresealedValues() {
            String neverResealed = beforeRotation.seal(TOKEN, CONTEXT);

            assertThatThrownBy(() -> afterRotation.open(neverResealed, CONTEXT))
                    .isInstanceOf(SecretBoxException.class)
                    .hasMessageContaining("'old'");
            assertThatThrownBy(() -> afterRotation.reseal(neverResealed, CONTEXT)).isInstanceOf(SecretBoxException.class);
        }
    }

    @Nested
    @DisplayName("on event-loop threads (BlockHound is active in this JVM)")
    class NonBlocking {

        @Test
        void sealingAndOpeningNeverBlock() {
            SecretBox builtAtStartUp = new AesGcmSecretBox(new MasterKeys(Map.of("old", OLD_KEY, "new", NEW_KEY), "new"));
            String sealedUnderOld = new AesGcmSecretBox(new MasterKeys(Map.of("old", OLD_KEY), "old")).seal(TOKEN, CONTEXT);

            // Enough seals to drain any small read-ahead buffer: the JDK's default SecureRandom keeps 32 bytes,
            // so with it this test reliably hits a FileInputStream read on the event loop.
            Long roundTrips = Flux.range(0, 100)
                    .map(i -> {
                        String sealed = builtAtStartUp.seal(TOKEN, CONTEXT);
                        String resealed = builtAtStartUp.reseal(sealedUnderOld, CONTEXT);
                        return builtAtStartUp.open(sealed, CONTEXT).equals(TOKEN)
                                && builtAtStartUp.open(resealed, CONTEXT).equals(TOKEN);
                    })
                    .filter(correct -> correct)
                    .count()
                    .subscribeOn(Schedulers.parallel())
                    .block(Duration.ofSeconds(10));

            assertThat(roundTrips).isEqualTo(100);
        }

        @Test
        @DisplayName("control: the same check does catch a blocking call, so the test above can fail")
        void blockHoundCatchesBlockingHere() {
            Mono<String> blocking = Mono.fromCallable(() -> {
                Thread.sleep(1);
                return "slept";
            }).subscribeOn(Schedulers.parallel());

            assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(10)))
                    .satisfies(error -> assertThat(Exceptions.unwrap(error)).isInstanceOf(BlockingOperationError.class));
        }
    }

    @Nested
    class Concurrent {

        private static final int THREADS = 8;
        private static final int ROUND_TRIPS_PER_THREAD = 1_000;

        @Test
        @DisplayName("8 threads x 1,000 seal/open round trips through one box: every one correct, every value distinct")
        void oneBoxServesManyThreads() throws Exception {
            SecretBox shared = new AesGcmSecretBox(new MasterKeys(Map.of("old", OLD_KEY, "new", NEW_KEY), "new"));
            Set<String> sealedValues = ConcurrentHashMap.newKeySet();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> correctCounts = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    int threadNumber = thread;
                    correctCounts.add(threads.submit(() -> {
                        start.await();
                        int correct = 0;
                        for (int i = 0; i < ROUND_TRIPS_PER_THREAD; i++) {
                            String secret = "token-" + threadNumber + "-" + i;
                            String context = "tenant:t" + threadNumber + ":whm-server:" + i + ":api-token";
                            String sealed = shared.seal(secret, context);
                            sealedValues.add(sealed);
                            if (shared.open(sealed, context).equals(secret)) {
                                correct++;
                            }
                        }
                        return correct;
                    }));
                }
                start.countDown();

                for (Future<Integer> correct : correctCounts) {
                    assertThat(correct.get(60, TimeUnit.SECONDS)).isEqualTo(ROUND_TRIPS_PER_THREAD);
                }
                assertThat(sealedValues).hasSize(THREADS * ROUND_TRIPS_PER_THREAD);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static byte[] payload(String sealed) {
        return Base64.getUrlDecoder().decode(sealed.substring(sealed.lastIndexOf(':') + 1));
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }
}
