package io.hostrail.dunning.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostrail.shared.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DunningScheduleTest {

    static final TenantId TENANT = new TenantId(UUID.fromString("01900000-0000-7000-8000-000000000001"));
    static final Instant DUE = Instant.parse("2026-12-15T00:00:00Z");
    static final DunningPolicy POLICY = new DunningPolicy(TENANT, List.of(7, -3, 0, 3), List.of(1, 3), 5, 10, 0);

    static Instant day(double days) {
        return DUE.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    static List<String> keys(List<DunningStep> steps) {
        return steps.stream().map(DunningStep::key).toList();
    }

    @Test
    @DisplayName("steps come in the order they fall due: on the same day reminders, then retries, then actions")
    void stepsInOrder() {
        DunningPolicy sameDay = new DunningPolicy(TENANT, List.of(5, -3), List.of(), 5, null, 0);
        assertThat(keys(sameDay.steps())).containsExactly("reminder:-3", "reminder:5", "suspend");
        assertThat(keys(POLICY.steps())).containsExactly("reminder:-3", "reminder:0", "retry:1", "reminder:3",
                "retry:3", "suspend", "reminder:7", "terminate");
    }

    @Test
    @DisplayName("nothing is due before the first reminder's day; each step falls due at its day to the minute")
    void dueByTheDay() {
        assertThat(DunningSchedule.plan(POLICY, DUE, Set.of(), day(-3.01)).isEmpty()).isTrue();
        assertThat(keys(DunningSchedule.plan(POLICY, DUE, Set.of(), day(-3)).take())).containsExactly("reminder:-3");
        assertThat(keys(DunningSchedule.plan(POLICY, DUE, Set.of("reminder:-3"), day(0)).take()))
                .containsExactly("reminder:0");
        assertThat(keys(DunningSchedule.plan(POLICY, DUE, Set.of("reminder:-3", "reminder:0"), day(2.9)).take()))
                .containsExactly("retry:1");
        assertThat(DunningSchedule.plan(POLICY, DUE, Set.of("reminder:-3", "reminder:0", "retry:1"), day(2.9))
                .isEmpty()).isTrue();
    }

    @Test
    @DisplayName("a step taken is never due again")
    void takenOnce() {
        Set<String> all = Set.of("reminder:-3", "reminder:0", "retry:1", "reminder:3", "retry:3", "suspend",
                "reminder:7", "terminate");
        assertThat(DunningSchedule.plan(POLICY, DUE, all, day(400)).isEmpty()).isTrue();
    }

    @Test
    @DisplayName("reminders and retries due together take only the latest of each and skip the others; actions never")
    void remindersDoNotPileUp() {
        DunningSchedule.Plan late = DunningSchedule.plan(POLICY, DUE, Set.of(), day(10.5));
        assertThat(keys(late.take())).containsExactly("retry:3", "suspend", "reminder:7", "terminate");
        assertThat(keys(late.skip())).containsExactly("reminder:-3", "reminder:0", "retry:1", "reminder:3");
        // A reminder earlier than one already sent (a day added to the policy later) is skipped, not sent.
        DunningSchedule.Plan added = DunningSchedule.plan(POLICY, DUE, Set.of("reminder:-3", "reminder:3", "retry:3"),
                day(3.5));
        assertThat(added.take()).isEmpty();
        assertThat(keys(added.skip())).containsExactly("reminder:0", "retry:1");
    }

    @Test
    @DisplayName("what is still to come, with when")
    void upcoming() {
        List<DunningSchedule.Upcoming> next = DunningSchedule.upcoming(POLICY, DUE, Set.of("reminder:-3"), day(1));
        assertThat(next).extracting(u -> u.step().key()).containsExactly("reminder:3", "retry:3", "suspend",
                "reminder:7", "terminate");
        assertThat(next.getFirst().dueAt()).isEqualTo(Instant.parse("2026-12-18T00:00:00Z"));
    }

    @Test
    @DisplayName("reminders say whether they come before, on or after the due date")
    void reminderKinds() {
        assertThat(DunningStep.reminder(-1).reminderKind()).isEqualTo(DunningStep.ReminderKind.BEFORE_DUE);
        assertThat(DunningStep.reminder(0).reminderKind()).isEqualTo(DunningStep.ReminderKind.DUE);
        assertThat(DunningStep.reminder(14).reminderKind()).isEqualTo(DunningStep.ReminderKind.OVERDUE);
    }

    @Test
    @DisplayName("the policy refuses repeated or out-of-range days, and termination not after suspension")
    void policyRules() {
        assertThatThrownBy(() -> new DunningPolicy(TENANT, List.of(3, 3), List.of(), null, null, 0))
                .hasMessageStartingWith("reminderOffsets:");
        assertThatThrownBy(() -> new DunningPolicy(TENANT, List.of(-61), List.of(), null, null, 0))
                .hasMessageStartingWith("reminderOffsets:");
        assertThatThrownBy(() -> new DunningPolicy(TENANT, List.of(), List.of(0), null, null, 0))
                .hasMessageStartingWith("retryDays:");
        assertThatThrownBy(() -> new DunningPolicy(TENANT, List.of(), List.of(), 10, 10, 0))
                .hasMessageStartingWith("terminateAfterDays:");
        assertThat(new DunningPolicy(TENANT, List.of(), List.of(), null, 3, 0).steps())
                .containsExactly(new DunningStep(DunningStep.Kind.TERMINATE, 3));
        assertThat(DunningPolicy.defaults(TENANT).retryDays()).containsExactly(1, 3, 5, 7);
        assertThatThrownBy(() -> DunningStep.retry(0)).hasMessageStartingWith("offsetDays:");
    }
}
