package io.hostrail.shared.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SettableClockTest {

    private static final Instant START = Instant.parse("2025-01-31T23:00:00Z");

    @Test
    void startsAtTheGivenInstantInUtc() {
        SettableClock clock = new SettableClock(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void canBeCreatedFromAnIsoInstant() {
        assertThat(SettableClock.at("2025-01-31T23:00:00Z").instant()).isEqualTo(START);
    }

    @Test
    void standsStillUntilTold() {
        SettableClock clock = new SettableClock(START);

        assertThat(clock.instant()).isEqualTo(clock.instant()).isEqualTo(START);
    }

    @Test
    void advanceMovesTimeForwardAndReturnsTheNewNow() {
        SettableClock clock = new SettableClock(START);

        Instant now = clock.advance(Duration.ofHours(2));

        assertThat(now).isEqualTo(Instant.parse("2025-02-01T01:00:00Z"));
        assertThat(clock.instant()).isEqualTo(now);
    }

    @Test
    void advanceAddsUp() {
        SettableClock clock = new SettableClock(START);

        clock.advance(Duration.ofDays(1));
        clock.advance(Duration.ofMillis(250));

        assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofDays(1)).plusMillis(250));
    }

    @Test
    void setMovesTimeToTheGivenInstantEvenBackwards() {
        SettableClock clock = new SettableClock(START);
        Instant earlier = Instant.parse("2024-12-01T00:00:00Z");

        clock.set(earlier);

        assertThat(clock.instant()).isEqualTo(earlier);
    }

    @Test
    void withZoneGivesAViewInTheNewZone() {
        SettableClock clock = new SettableClock(START);
        ZoneId berlin = ZoneId.of("Europe/Berlin");

        Clock view = clock.withZone(berlin);

        assertThat(view.getZone()).isEqualTo(berlin);
        assertThat(view.instant()).isEqualTo(START);
        assertThat(LocalDateTime.now(view)).isEqualTo(LocalDateTime.parse("2025-02-01T00:00:00"));
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void advancingTheOriginalMovesTheZonedView() {
        SettableClock clock = new SettableClock(START);
        Clock view = clock.withZone(ZoneId.of("Asia/Tokyo"));

        clock.advance(Duration.ofMinutes(90));

        assertThat(view.instant()).isEqualTo(START.plus(Duration.ofMinutes(90)));
    }

    @Test
    void movingTheZonedViewMovesTheOriginal() {
        SettableClock clock = new SettableClock(START);
        SettableClock view = (SettableClock) clock.withZone(ZoneId.of("America/New_York"));
        Instant later = Instant.parse("2025-06-01T12:00:00Z");

        view.set(later);

        assertThat(clock.instant()).isEqualTo(later);
    }

    @Test
    void millisAgreesWithInstant() {
        SettableClock clock = SettableClock.at("2025-01-31T23:00:00.123456789Z");

        assertThat(clock.millis()).isEqualTo(clock.instant().toEpochMilli()).isEqualTo(1_738_364_400_123L);

        clock.advance(Duration.ofNanos(999_999));

        assertThat(clock.millis()).isEqualTo(clock.instant().toEpochMilli()).isEqualTo(1_738_364_400_124L);
    }

    @Test
    void refusesNulls() {
        SettableClock clock = new SettableClock(START);

        assertThatThrownBy(() -> new SettableClock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> clock.advance(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> clock.set(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> clock.withZone(null)).isInstanceOf(NullPointerException.class);
    }
}
