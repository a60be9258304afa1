package io.hostrail.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.shared.time.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class UuidV7GeneratorTest {

    /** Unsigned 128-bit order: the order the bytes sort in, in PostgreSQL and in the text form. */
    private static final Comparator<UUID> UNSIGNED_128_BIT = Comparator
            .comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
            .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

    private final SettableClock clock = SettableClock.at("2025-03-14T09:26:53.589Z");
    private final UuidV7Generator generator = new UuidV7Generator(clock);

    @Test
    void makesVersion7UuidsWithTheRfc9562Variant() {
        UUID id = generator.newId();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void carriesTheClockMillisecondsAsItsTimestamp() {
        UUID id = generator.newId();

        assertThat(UuidV7Generator.timestampMillis(id)).isEqualTo(clock.millis());
    }

    @Test
    void followsTheClockWhenItMovesForward() {
        generator.newId();
        clock.advance(Duration.ofMinutes(3));

        UUID later = generator.newId();

        assertThat(UuidV7Generator.timestampMillis(later)).isEqualTo(clock.millis());
    }

    @Test
    void makesStrictlyIncreasingUniqueIdsWithinOneMillisecond() {
        List<UUID> ids = generate(10_000);

        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertStrictlyIncreasing(ids);
    }

    @Test
    void sortsTheSameWhetherComparedAsBitsOrAsText() {
        List<UUID> ids = generate(10_000);

        List<String> texts = ids.stream().map(UUID::toString).toList();
        assertThat(texts).isSortedAccordingTo(Comparator.naturalOrder());
    }

    @Test
    void runsTheTimestampOnlySlightlyAheadWhenTheCounterOfOneMillisecondIsExhausted() {
        // 12 counter bits give 4096 ids per millisecond before the counter carries into the timestamp
        List<UUID> ids = generate(10_000);

        assertThat(UuidV7Generator.timestampMillis(ids.get(0))).isEqualTo(clock.millis());
        assertThat(UuidV7Generator.timestampMillis(ids.get(4_095))).isEqualTo(clock.millis());
        assertThat(UuidV7Generator.timestampMillis(ids.get(4_096))).isEqualTo(clock.millis() + 1);
        assertThat(UuidV7Generator.timestampMillis(ids.getLast())).isEqualTo(clock.millis() + 2);
        assertThat(ids).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
    }

    @Test
    void keepsIncreasingWhenTheClockStepsBack() {
        UUID before = generator.newId();
        clock.advance(Duration.ofSeconds(-5));

        List<UUID> after = generate(100);

        assertThat(UNSIGNED_128_BIT.compare(after.getFirst(), before)).isPositive();
        assertStrictlyIncreasing(after);
        assertThat(UuidV7Generator.timestampMillis(after.getFirst()))
                .isGreaterThanOrEqualTo(UuidV7Generator.timestampMillis(before));
    }

    @Test
    void makesNoDuplicatesWhenCalledFromSeveralThreadsAtOnce() throws Exception {
        int threads = 4;
        int idsPerThread = 10_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<UUID>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<UUID>> task = () -> {
                    start.await();
                    return generate(idsPerThread);
                };
                results.add(executor.submit(task));
            }
            start.countDown();

            Set<UUID> all = new HashSet<>();
            for (Future<List<UUID>> result : results) {
                List<UUID> ids = result.get();
                assertStrictlyIncreasing(ids);
                all.addAll(ids);
            }
            assertThat(all).hasSize(threads * idsPerThread);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void refusesToReadATimestampFromAUuidThatIsNotVersion7() {
        UUID version4 = UUID.randomUUID();

        assertThatThrownBy(() -> UuidV7Generator.timestampMillis(version4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a version 7 UUID");
    }

    @Test
    void refusesAMissingClock() {
        assertThatThrownBy(() -> new UuidV7Generator(null)).isInstanceOf(NullPointerException.class);
    }

    private List<UUID> generate(int count) {
        List<UUID> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(generator.newId());
        }
        return ids;
    }

    private static void assertStrictlyIncreasing(List<UUID> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertThat(UNSIGNED_128_BIT.compare(ids.get(i), ids.get(i - 1)))
                    .as("id %d (%s) must sort after id %d (%s)", i, ids.get(i), i - 1, ids.get(i - 1))
                    .isPositive();
        }
    }
}
