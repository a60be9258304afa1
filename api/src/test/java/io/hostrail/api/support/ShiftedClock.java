package io.hostrail.api.support;

import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.UuidV7Generator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The wall clock plus an offset that a test moves, shared by every application context in the test JVM (the test
 * context and {@link SecondInstance}), so both instances see the same time. The offset is zero unless a test moves it,
 * and a test that moves it puts it back when it ends; while it is moved, access tokens issued before have expired.
 *
 * <p>The time is in microseconds, what PostgreSQL keeps, as the production clock is.
 */
public final class ShiftedClock extends Clock {

    private static final AtomicReference<Duration> OFFSET = new AtomicReference<>(Duration.ZERO);
    private static final ShiftedClock INSTANCE = new ShiftedClock(ZoneOffset.UTC);

    private final Clock base;
    private final ZoneId zone;

    private ShiftedClock(ZoneId zone) {
        this.zone = zone;
        this.base = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }

    /** Moves every context's clock forward by {@code duration}; returns the new now. */
    public static Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        OFFSET.updateAndGet(offset -> offset.plus(duration));
        return INSTANCE.instant();
    }

    /** Back to the wall clock. */
    public static void reset() {
        OFFSET.set(Duration.ZERO);
    }

    public static Instant now() {
        return INSTANCE.instant();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId otherZone) {
        return otherZone.equals(zone) ? this : new ShiftedClock(otherZone);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(OFFSET.get());
    }

    /**
     * Makes the shifted clock the {@link Clock} every bean is given, except the id generator: ids keep the wall clock.
     * A generator that had seen a moved clock would go on making ids from that later time after the clock is put back
     * (its ids never go backwards), each instance from its own, so ids made afterwards on two instances would no
     * longer sort in the order they were made, and later tests that read events in id order would see them swapped.
     */
    public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            GenericApplicationContext beans = (GenericApplicationContext) context;
            beans.registerBean("shiftedClock", Clock.class, () -> INSTANCE, definition -> definition.setPrimary(true));
            beans.registerBean("wallClockIds", IdGenerator.class,
                    () -> new UuidV7Generator(Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000))),
                    definition -> definition.setPrimary(true));
        }
    }
}
