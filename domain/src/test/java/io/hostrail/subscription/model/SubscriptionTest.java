package io.hostrail.subscription.model;

import static io.hostrail.catalog.model.BillingCycle.ANNUAL;
import static io.hostrail.catalog.model.BillingCycle.MONTHLY;
import static io.hostrail.subscription.model.SubscriptionStatus.ACTIVE;
import static io.hostrail.subscription.model.SubscriptionStatus.CANCELLED;
import static io.hostrail.subscription.model.SubscriptionStatus.PENDING;
import static io.hostrail.subscription.model.SubscriptionStatus.SUSPENDED;
import static io.hostrail.subscription.model.SubscriptionStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SubscriptionTest {

    private static final TenantId TENANT = TenantId.of("0190f3a2-0000-7000-8000-000000000001");
    private static final UUID PRODUCT = UUID.fromString("0190f3a2-0000-7000-8000-0000000000aa");
    private static final UUID OTHER_PRODUCT = UUID.fromString("0190f3a2-0000-7000-8000-0000000000bb");
    private static final UUID DISK = UUID.fromString("0190f3a2-0000-7000-8000-0000000000d1");
    private static final Instant CREATED = Instant.parse("2027-01-30T08:00:00Z");
    private static final Instant START = Instant.parse("2027-01-31T10:00:00Z");
    private static final Instant LATER = Instant.parse("2027-02-10T10:00:00Z");

    private static Subscription pending() {
        return Subscription.pending(UUID.fromString("0190f3a2-0000-7000-8000-000000000100"), TENANT,
                UUID.fromString("0190f3a2-0000-7000-8000-000000000200"), PRODUCT, MONTHLY, Currency.getInstance("EUR"),
                1, List.of(new SelectedOption(DISK, 10)), CREATED);
    }

    private static Subscription active() {
        return pending().activate(START);
    }

    private static Subscription suspended() {
        return active().suspend(LATER);
    }

    private static Subscription cancelled() {
        return active().cancel(LATER, false);
    }

    private static Subscription terminated() {
        return cancelled().terminate(LATER.plusSeconds(60));
    }

    @Test
    @DisplayName("the status machine allows exactly the documented moves")
    void statusMachine() {
        Map<SubscriptionStatus, Set<SubscriptionStatus>> allowed = Map.of(
                PENDING, EnumSet.of(ACTIVE, CANCELLED),
                ACTIVE, EnumSet.of(SUSPENDED, CANCELLED, TERMINATED),
                SUSPENDED, EnumSet.of(ACTIVE, CANCELLED, TERMINATED),
                CANCELLED, EnumSet.of(TERMINATED),
                TERMINATED, EnumSet.noneOf(SubscriptionStatus.class));
        for (SubscriptionStatus from : SubscriptionStatus.values()) {
            for (SubscriptionStatus to : SubscriptionStatus.values()) {
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(allowed.get(from).contains(to));
            }
        }
    }

    @Test
    @DisplayName("statuses travel as lower-case wire names")
    void wireNames() {
        assertThat(SUSPENDED.wireName()).isEqualTo("suspended");
        assertThat(SubscriptionStatus.fromWire(" Cancelled ")).isEqualTo(CANCELLED);
        assertThatIllegalArgumentException().isThrownBy(() -> SubscriptionStatus.fromWire("paused"))
                .withMessage("'paused' is not a subscription status; use one of pending, active, suspended, cancelled, "
                        + "terminated");
        assertThatIllegalArgumentException().isThrownBy(() -> SubscriptionStatus.fromWire(" "))
                .withMessage("is required");
    }

    @Nested
    @DisplayName("allowed moves")
    class Allowed {

        @Test
        @DisplayName("pending has no anchor and no period; activating anchors the periods at the activation")
        void activate() {
            Subscription pending = pending();
            assertThat(pending.status()).isEqualTo(PENDING);
            assertThat(pending.anchor()).isNull();
            assertThat(pending.nextDueDate()).isEmpty();

            Subscription active = pending.activate(START);
            assertThat(active.status()).isEqualTo(ACTIVE);
            assertThat(active.anchor()).isEqualTo(START);
            assertThat(active.trialEnd()).isNull();
            assertThat(active.currentPeriod()).isEqualTo(new Period(START, Instant.parse("2027-02-28T10:00:00Z")));
            assertThat(active.nextDueDate()).contains(Instant.parse("2027-02-28T10:00:00Z"));
            assertThat(pending.activate(START, Duration.ZERO)).isEqualTo(active);
            assertThat(pending.status()).as("the original is unchanged").isEqualTo(PENDING);
        }

        @Test
        @DisplayName("a pending subscription can be cancelled before it starts")
        void cancelPending() {
            Subscription cancelled = pending().cancel(LATER, false);
            assertThat(cancelled.status()).isEqualTo(CANCELLED);
            assertThat(cancelled.cancelledAt()).isEqualTo(LATER);
            assertThat(cancelled.currentPeriod()).isNull();
            assertThat(cancelled.terminate(LATER).status()).isEqualTo(TERMINATED);
        }

        @Test
        @DisplayName("suspending keeps the periods; unsuspending resumes the same ones")
        void suspendAndUnsuspend() {
            Subscription suspended = suspended();
            assertThat(suspended.status()).isEqualTo(SUSPENDED);
            assertThat(suspended.suspendedAt()).isEqualTo(LATER);
            assertThat(suspended.nextDueDate()).contains(active().currentPeriod().end());
            assertThat(suspended.reachPeriodEnd().currentPeriod()).isEqualTo(active().reachPeriodEnd().currentPeriod());

            Subscription resumed = suspended.unsuspend(LATER.plusSeconds(3600));
            assertThat(resumed).isEqualTo(active());
        }

        @Test
        @DisplayName("cancelling now stops billing: no next due date")
        void cancelNow() {
            for (Subscription running : List.of(active(), suspended())) {
                Subscription cancelled = running.cancel(LATER.plusSeconds(1), false);
                assertThat(cancelled.status()).isEqualTo(CANCELLED);
                assertThat(cancelled.cancelledAt()).isEqualTo(LATER.plusSeconds(1));
                assertThat(cancelled.suspendedAt()).isNull();
                assertThat(cancelled.nextDueDate()).isEmpty();
            }
        }

        @Test
        @DisplayName("active, suspended and cancelled subscriptions can be terminated; it is final")
        void terminate() {
            Instant at = LATER.plusSeconds(120);
            for (Subscription subscription : List.of(active(), suspended(), cancelled())) {
                Subscription terminated = subscription.terminate(at);
                assertThat(terminated.status()).isEqualTo(TERMINATED);
                assertThat(terminated.terminatedAt()).isEqualTo(at);
                assertThat(terminated.nextDueDate()).isEmpty();
                assertThat(terminated.inTrial(at)).isFalse();
            }
            assertThat(cancelled().terminate(at).cancelledAt()).isEqualTo(LATER);
            assertThat(active().terminate(at).cancelledAt()).isNull();
        }
    }

    @Test
    @DisplayName("moves the status does not allow are refused and change nothing")
    void forbiddenMoves() {
        Map<String, UnaryOperator<Subscription>> moves = Map.of(
                "activate", s -> s.activate(LATER),
                "suspend", s -> s.suspend(LATER),
                "unsuspend", s -> s.unsuspend(LATER),
                "cancel", s -> s.cancel(LATER, false),
                "cancel at period end", s -> s.cancel(LATER, true),
                "terminate", s -> s.terminate(LATER.plusSeconds(60)),
                "reach the period end", Subscription::reachPeriodEnd,
                "change the plan", s -> s.changePlan(OTHER_PRODUCT, MONTHLY, 1, List.of(), LATER));
        Map<SubscriptionStatus, Set<String>> allowed = Map.of(
                PENDING, Set.of("activate", "cancel"),
                ACTIVE, Set.of("suspend", "cancel", "cancel at period end", "terminate", "reach the period end",
                        "change the plan"),
                SUSPENDED, Set.of("unsuspend", "cancel", "cancel at period end", "terminate", "reach the period end"),
                CANCELLED, Set.of("terminate"),
                TERMINATED, Set.of());
        for (Subscription subscription : List.of(pending(), active(), suspended(), cancelled(), terminated())) {
            Subscription before = subscription;
            moves.forEach((name, move) -> {
                if (allowed.get(before.status()).contains(name)) {
                    assertThat(move.apply(before)).as(name + " on " + before.status()).isNotNull();
                } else {
                    assertThatIllegalStateException().as(name + " on " + before.status())
                            .isThrownBy(() -> move.apply(before)).withMessageStartingWith("cannot ");
                }
            });
            assertThat(subscription).isEqualTo(before);
        }
        assertThatIllegalStateException().isThrownBy(() -> active().activate(LATER))
                .withMessage("cannot activate: the subscription is active");
        assertThatIllegalStateException().isThrownBy(() -> pending().cancel(LATER, true))
                .withMessage("cannot cancel at period end: a pending subscription has no period");
    }

    @Nested
    @DisplayName("trial")
    class Trial {

        private final Instant trialEnd = START.plus(Duration.ofDays(14));

        @Test
        @DisplayName("the trial is its own period, and the paid periods are anchored at its end")
        void trialThenFirstPaidPeriod() {
            Subscription trialing = pending().activate(START, Duration.ofDays(14));
            assertThat(trialing.trialEnd()).isEqualTo(trialEnd);
            assertThat(trialing.anchor()).isEqualTo(trialEnd);
            assertThat(trialing.currentPeriod()).isEqualTo(new Period(START, trialEnd));
            assertThat(trialing.nextDueDate()).contains(trialEnd);
            assertThat(trialing.inTrial(START)).isTrue();
            assertThat(trialing.inTrial(trialEnd.minusNanos(1))).isTrue();
            assertThat(trialing.inTrial(trialEnd)).isFalse();
            assertThat(trialing.inTrial(START.minusNanos(1))).isFalse();

            Subscription paid = trialing.reachPeriodEnd();
            assertThat(paid.currentPeriod()).isEqualTo(new Period(trialEnd, Instant.parse("2027-03-14T10:00:00Z")));
            assertThat(paid.inTrial(trialEnd.minusNanos(1))).isFalse();
            assertThat(paid.reachPeriodEnd().currentPeriod().start()).isEqualTo(Instant.parse("2027-03-14T10:00:00Z"));
        }

        @Test
        @DisplayName("a trial cancelled at period end is cancelled when it ends, never billed")
        void cancelledTrial() {
            Subscription cancelled = pending().activate(START, Duration.ofDays(14)).cancel(START, true)
                    .reachPeriodEnd();
            assertThat(cancelled.status()).isEqualTo(CANCELLED);
            assertThat(cancelled.cancelledAt()).isEqualTo(trialEnd);
        }

        @Test
        @DisplayName("a new cycle during the trial keeps the trial and applies from its end")
        void changeCycleDuringTrial() {
            Subscription changed = pending().activate(START, Duration.ofDays(14))
                    .changePlan(PRODUCT, ANNUAL, 1, List.of(), START.plus(Duration.ofDays(3)));
            assertThat(changed.cycle()).isEqualTo(ANNUAL);
            assertThat(changed.anchor()).isEqualTo(trialEnd);
            assertThat(changed.currentPeriod()).isEqualTo(new Period(START, trialEnd));
            assertThat(changed.reachPeriodEnd().currentPeriod())
                    .isEqualTo(new Period(trialEnd, trialEnd.atZone(ZoneOffset.UTC).plusYears(1).toInstant()));
        }

        @Test
        @DisplayName("a negative trial is refused")
        void negativeTrial() {
            assertThatIllegalArgumentException().isThrownBy(() -> pending().activate(START, Duration.ofDays(-1)))
                    .withMessage("trial: must not be negative");
        }
    }

    @Nested
    @DisplayName("cancel at period end")
    class CancelAtPeriodEnd {

        @Test
        @DisplayName("keeps the status until the period ends, then cancels as of the period's end")
        void cancelsWhenThePeriodEnds() {
            Subscription scheduled = active().cancel(LATER, true);
            assertThat(scheduled.status()).isEqualTo(ACTIVE);
            assertThat(scheduled.cancelAtPeriodEnd()).isTrue();
            assertThat(scheduled.cancelledAt()).isNull();
            assertThat(scheduled.nextDueDate()).isEmpty();

            Subscription cancelled = scheduled.reachPeriodEnd();
            assertThat(cancelled.status()).isEqualTo(CANCELLED);
            assertThat(cancelled.cancelledAt()).isEqualTo(Instant.parse("2027-02-28T10:00:00Z"));
            assertThat(cancelled.cancelAtPeriodEnd()).isFalse();
            assertThat(cancelled.currentPeriod()).isEqualTo(active().currentPeriod());
        }

        @Test
        @DisplayName("a suspended subscription stays suspended until then")
        void whileSuspended() {
            Subscription scheduled = suspended().cancel(LATER, true);
            assertThat(scheduled.status()).isEqualTo(SUSPENDED);
            Subscription cancelled = scheduled.reachPeriodEnd();
            assertThat(cancelled.status()).isEqualTo(CANCELLED);
            assertThat(cancelled.suspendedAt()).isNull();
        }

        @Test
        @DisplayName("can be undone before the period ends, and renewal goes on")
        void undo() {
            Subscription undone = active().cancel(LATER, true).undoCancelAtPeriodEnd();
            assertThat(undone).isEqualTo(active());
            assertThat(undone.reachPeriodEnd().status()).isEqualTo(ACTIVE);
            assertThatIllegalStateException().isThrownBy(() -> active().undoCancelAtPeriodEnd())
                    .withMessage("cannot undo: no cancellation at period end is scheduled");
        }
    }

    @Test
    @DisplayName("renewing an anchor on the 31st goes Feb 28, Mar 31, Apr 30 without drifting")
    void renewal() {
        Subscription subscription = active();
        for (String start : List.of("2027-02-28T10:00:00Z", "2027-03-31T10:00:00Z", "2027-04-30T10:00:00Z",
                "2027-05-31T10:00:00Z")) {
            subscription = subscription.reachPeriodEnd();
            assertThat(subscription.currentPeriod().start()).isEqualTo(Instant.parse(start));
            assertThat(subscription.nextDueDate()).contains(subscription.currentPeriod().end());
        }
        assertThat(subscription.anchor()).isEqualTo(START);
    }

    @Nested
    @DisplayName("change of plan")
    class ChangePlan {

        @Test
        @DisplayName("a new product, quantity or options keep the anchor and the period")
        void sameCycle() {
            List<SelectedOption> options = List.of(new SelectedOption(DISK, 50));
            Subscription changed = active().changePlan(OTHER_PRODUCT, MONTHLY, 3, options, LATER);
            assertThat(changed.productId()).isEqualTo(OTHER_PRODUCT);
            assertThat(changed.quantity()).isEqualTo(3);
            assertThat(changed.options()).isEqualTo(options);
            assertThat(changed.anchor()).isEqualTo(START);
            assertThat(changed.currentPeriod()).isEqualTo(active().currentPeriod());
        }

        @Test
        @DisplayName("a new cycle anchors the periods at the change: period 0 starts then")
        void newCycle() {
            Subscription changed = active().changePlan(PRODUCT, ANNUAL, 1, List.of(), LATER);
            assertThat(changed.cycle()).isEqualTo(ANNUAL);
            assertThat(changed.anchor()).isEqualTo(LATER);
            assertThat(changed.currentPeriod()).isEqualTo(new Period(LATER, Instant.parse("2028-02-10T10:00:00Z")));
            assertThat(changed.nextDueDate()).contains(Instant.parse("2028-02-10T10:00:00Z"));
            assertThat(changed.reachPeriodEnd().currentPeriod().end()).isEqualTo(Instant.parse("2029-02-10T10:00:00Z"));
        }

        @Test
        @DisplayName("the change must fall in the current period, and the new plan must be valid")
        void refusals() {
            Subscription active = active();
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> active.changePlan(PRODUCT, ANNUAL, 1, List.of(), active.currentPeriod().end()))
                    .withMessageStartingWith("at: ");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> active.changePlan(PRODUCT, BillingCycle.ONE_TIME, 1, List.of(), LATER))
                    .withMessage("cycle: a subscription recurs; one_time does not");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> active.changePlan(PRODUCT, MONTHLY, 0, List.of(), LATER))
                    .withMessage("quantity: must be at least 1");
        }
    }

    @Test
    @DisplayName("instants must follow what they refer to")
    void instantsInOrder() {
        assertThatIllegalArgumentException().isThrownBy(() -> pending().activate(CREATED.minusSeconds(1)))
                .withMessageStartingWith("at: ");
        assertThatIllegalArgumentException().isThrownBy(() -> suspended().unsuspend(LATER.minusSeconds(1)))
                .withMessageStartingWith("at: ");
        assertThatIllegalArgumentException().isThrownBy(() -> cancelled().terminate(LATER.minusSeconds(1)))
                .withMessageStartingWith("at: ");
    }

    @Test
    @DisplayName("a subscription that cannot exist is refused")
    void invariants() {
        Subscription ok = active();
        assertThatIllegalArgumentException().isThrownBy(() -> Subscription.pending(ok.id(), TENANT, ok.customerId(),
                PRODUCT, BillingCycle.ONE_TIME, ok.currency(), 1, List.of(), CREATED))
                .withMessage("cycle: a subscription recurs; one_time does not");
        assertThatIllegalArgumentException().isThrownBy(() -> Subscription.pending(ok.id(), TENANT, ok.customerId(),
                PRODUCT, MONTHLY, ok.currency(), 0, List.of(), CREATED))
                .withMessage("quantity: must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> Subscription.pending(ok.id(), TENANT, ok.customerId(),
                PRODUCT, MONTHLY, ok.currency(), 1, List.of(new SelectedOption(DISK, 1), new SelectedOption(DISK, 2)),
                CREATED)).withMessage("options: " + DISK + " is selected more than once");
        assertThatIllegalArgumentException().isThrownBy(() -> new SelectedOption(DISK, -1))
                .withMessage("quantity: must not be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> Subscription.pending(ok.id(), TENANT, ok.customerId(),
                PRODUCT, MONTHLY, Currency.getInstance("XXX"), 1, List.of(), CREATED))
                .withMessage("currency: XXX cannot hold money");
        assertThatIllegalArgumentException().isThrownBy(() -> new Subscription(ok.id(), TENANT, ok.customerId(),
                PRODUCT, null, MONTHLY, ok.currency(), ACTIVE, 1, List.of(), START, null,
                new Period(START.plusSeconds(1), Instant.parse("2027-02-28T10:00:00Z")), false, null, null, null,
                CREATED, 0)).withMessageStartingWith("currentPeriod: ");
        assertThatIllegalArgumentException().isThrownBy(() -> new Subscription(ok.id(), TENANT, ok.customerId(),
                PRODUCT, null, MONTHLY, ok.currency(), PENDING, 1, List.of(), START, null, ok.currentPeriod(), false, null,
                null, null, CREATED, 0)).withMessageStartingWith("anchor: ");
        assertThatIllegalArgumentException().isThrownBy(() -> new Subscription(ok.id(), TENANT, ok.customerId(),
                PRODUCT, null, MONTHLY, ok.currency(), CANCELLED, 1, List.of(), START, null, ok.currentPeriod(), false, null,
                null, null, CREATED, 0)).withMessage("cancelledAt: a cancelled subscription needs one");
        assertThatIllegalArgumentException().isThrownBy(() -> new Subscription(ok.id(), TENANT, ok.customerId(),
                PRODUCT, null, MONTHLY, ok.currency(), CANCELLED, 1, List.of(), START, null, ok.currentPeriod(), true, null,
                LATER, null, CREATED, 0)).withMessageStartingWith("cancelAtPeriodEnd: ");
        assertThatIllegalArgumentException().isThrownBy(() -> Subscription.addonPending(ok.id(), TENANT,
                ok.customerId(), PRODUCT, ok.id(), MONTHLY, ok.currency(), 1, List.of(), CREATED))
                .withMessage("parentId: a subscription cannot be its own parent");
    }
}
