package io.hostrail.subscription.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Periods tile time from the anchor: no gap, no overlap, every instant in exactly one, whatever the day of month. */
class BillingPeriodsProperties {

    @Property(tries = 1000)
    void periodsAreContiguousAndFindTheirInstants(@ForAll("anchors") Instant anchor,
            @ForAll("cycles") BillingCycle cycle,
            @ForAll @IntRange(min = 0, max = 60) int k, @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
        Period period = BillingPeriods.period(anchor, cycle, k);
        Period next = BillingPeriods.period(anchor, cycle, k + 1);

        assertThat(period.end()).isEqualTo(next.start());
        assertThat(BillingPeriods.next(anchor, cycle, period)).isEqualTo(next);
        assertThat(BillingPeriods.periodContaining(anchor, cycle, period.start())).isEqualTo(period);
        assertThat(BillingPeriods.periodContaining(anchor, cycle, period.end().minusNanos(1))).isEqualTo(period);
        Instant inside = period.start().plusNanos(nanos % period.duration().toNanos());
        assertThat(BillingPeriods.indexOf(anchor, cycle, inside)).isEqualTo(k);
        assertThat(period.duration().toDays()).isBetween(28L * cycle.months(), 31L * cycle.months());
    }

    @Property(tries = 300)
    void renewingWalksTheAnchorsPeriods(@ForAll("anchors") Instant anchor, @ForAll("cycles") BillingCycle cycle,
            @ForAll @IntRange(min = 1, max = 40) int renewals) {
        Subscription subscription = Subscription.pending(UUID.randomUUID(), new TenantId(UUID.randomUUID()),
                UUID.randomUUID(), UUID.randomUUID(), cycle, Currency.getInstance("EUR"), 1, List.of(), anchor)
                .activate(anchor);
        for (int k = 1; k <= renewals; k++) {
            subscription = subscription.reachPeriodEnd();
            assertThat(subscription.currentPeriod()).isEqualTo(BillingPeriods.period(anchor, cycle, k));
        }
        assertThat(subscription.anchor()).isEqualTo(anchor);
    }

    @Provide
    Arbitrary<Instant> anchors() {
        long from = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
        Arbitrary<Instant> anywhere = Arbitraries.longs().between(from, to).map(Instant::ofEpochSecond);
        // Month ends are where clamping happens; give them extra weight.
        Arbitrary<Instant> monthEnds = Arbitraries.longs().between(from, to).map(Instant::ofEpochSecond)
                .map(i -> i.atZone(ZoneOffset.UTC))
                .map(z -> z.withDayOfMonth(z.toLocalDate().lengthOfMonth()).toInstant());
        return Arbitraries.oneOf(anywhere, monthEnds);
    }

    @Provide
    Arbitrary<BillingCycle> cycles() {
        return Arbitraries.of(Arrays.stream(BillingCycle.values()).filter(BillingCycle::recurs).toList());
    }
}
