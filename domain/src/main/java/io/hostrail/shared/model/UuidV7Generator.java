package io.hostrail.shared.model;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter in {@code rand_a}
 * (method 1, "fixed bit-length dedicated counter"), then 62 random bits.
 *
 * <p>Ids from one generator are strictly increasing even within a millisecond and if the clock
 * steps back, so they sort in creation order and keep B-tree inserts at the right edge of the index.
 * When more than 4096 ids are made in one millisecond the counter carries into the timestamp,
 * which then runs a little ahead of the clock rather than repeating.
 */
public final class UuidV7Generator implements IdGenerator {

    private static final int COUNTER_BITS = 12;
    private static final long VERSION_7 = 0x7L << 12;
    private static final long VARIANT_RFC = 0x2L << 62;
    private static final long RANDOM_62_BITS = (1L << 62) - 1;

    private final Clock clock;
    private final AtomicLong lastTimestampAndCounter = new AtomicLong();

    public UuidV7Generator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public UUID newId() {
        long startOfThisMillisecond = clock.millis() << COUNTER_BITS;
        long next = lastTimestampAndCounter.updateAndGet(last -> Math.max(last + 1, startOfThisMillisecond));
        long millis = next >>> COUNTER_BITS;
        long counter = next & ((1L << COUNTER_BITS) - 1);
        long mostSignificant = (millis << 16) | VERSION_7 | counter;
        long leastSignificant = VARIANT_RFC | (ThreadLocalRandom.current().nextLong() & RANDOM_62_BITS);
        return new UUID(mostSignificant, leastSignificant);
    }

    /** The Unix-millisecond timestamp carried by a version 7 UUID. */
    public static long timestampMillis(UUID uuid) {
        if (uuid.version() != 7) {
            throw new IllegalArgumentException(uuid + " is not a version 7 UUID");
        }
        return uuid.getMostSignificantBits() >>> 16;
    }
}
