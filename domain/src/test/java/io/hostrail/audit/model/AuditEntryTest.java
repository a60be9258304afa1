package io.hostrail.audit.model;

import static io.hostrail.audit.model.AuditFixtures.STAFF_ID;
import static io.hostrail.audit.model.AuditFixtures.TENANT;
import static io.hostrail.audit.model.AuditFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuditEntryTest {

    @Test
    void holdsWhatItWasGiven() {
        AuditEntry entry = new AuditEntry(TENANT, Actor.staffUser(STAFF_ID, "ops@example.com"), "user.role_changed",
                "user", "u-1", Map.of("role", "support"), Map.of("role", "admin"),
                Instant.parse("2025-03-14T09:26:53.123456Z"), "203.0.113.7", "req-42");

        assertThat(entry.tenantId()).isEqualTo(TENANT);
        assertThat(entry.actor()).isEqualTo(Actor.staffUser(STAFF_ID, "ops@example.com"));
        assertThat(entry.action()).isEqualTo("user.role_changed");
        assertThat(entry.targetType()).isEqualTo("user");
        assertThat(entry.targetId()).isEqualTo("u-1");
        assertThat(entry.before()).containsExactlyEntriesOf(Map.of("role", "support"));
        assertThat(entry.after()).containsExactlyEntriesOf(Map.of("role", "admin"));
        assertThat(entry.occurredAt()).isEqualTo(Instant.parse("2025-03-14T09:26:53.123456Z"));
        assertThat(entry.ip()).isEqualTo("203.0.113.7");
        assertThat(entry.requestId()).isEqualTo("req-42");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user.role_changed", "api_key.created", "auth.login_succeeded", "payment.manual_recorded",
            "tenant.settings.changed", "service.suspended_v2"})
    void acceptsDottedLowerSnakeActions(String action) {
        assertThat(entry().action(action).build().action()).isEqualTo(action);
        assertThat(AuditEntry.isValidAction(action)).isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "user", "User.role_changed", "user.RoleChanged", "user.role-changed", "user role_changed",
            "user..role_changed", "user.role_changed.", ".role_changed", "1user.created", "user.1created",
            "user.role_changed\n"})
    void refusesActionsThatAreNotDottedLowerSnake(String action) {
        assertThatThrownBy(() -> entry().action(action).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audit action '" + action + "'");
        assertThat(AuditEntry.isValidAction(action)).isFalse();
    }

    @Test
    void saysANullActionIsNotValid() {
        assertThat(AuditEntry.isValidAction(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"user", "api_key", "invoice", "service2"})
    void acceptsLowerSnakeTargetTypes(String targetType) {
        assertThat(entry().targetType(targetType).build().targetType()).isEqualTo(targetType);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "ApiKey", "api-key", "api.key", "api key", "_key", "2fa"})
    void refusesTargetTypesThatAreNotLowerSnake(String targetType) {
        assertThatThrownBy(() -> entry().targetType(targetType).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audit target type '" + targetType + "'");
    }

    static Stream<Arguments> requiredFields() {
        return Stream.of(
                missing("tenantId", b -> b.tenantId(null)),
                missing("actor", b -> b.actor(null)),
                missing("action", b -> b.action(null)),
                missing("targetType", b -> b.targetType(null)),
                missing("occurredAt", b -> b.occurredAt(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredFields")
    void refusesAMissingRequiredField(String field, Function<AuditFixtures.Builder, AuditFixtures.Builder> omit) {
        assertThatThrownBy(() -> omit.apply(entry()).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining(field);
    }

    @Test
    void leavesTargetIdIpAndRequestIdOptional() {
        AuditEntry entry = entry().targetId(null).ip(null).requestId(null).build();

        assertThat(entry.targetId()).isNull();
        assertThat(entry.ip()).isNull();
        assertThat(entry.requestId()).isNull();
    }

    @Test
    void keepsEmptyOptionalTextAsEmptyRatherThanNull() {
        AuditEntry entry = entry().targetId("").ip("").requestId("").build();

        assertThat(entry.targetId()).isEmpty();
        assertThat(entry.ip()).isEmpty();
        assertThat(entry.requestId()).isEmpty();
    }

    @Test
    void treatsMissingBeforeAndAfterAsEmpty() {
        AuditEntry entry = entry().before(null).after(null).build();

        assertThat(entry.before()).isEmpty();
        assertThat(entry.after()).isEmpty();
    }

    @Test
    void keepsItsOwnUnmodifiableCopyOfBeforeAndAfter() {
        Map<String, String> before = new HashMap<>(Map.of("role", "support"));
        Map<String, String> after = new HashMap<>(Map.of("role", "admin"));
        AuditEntry entry = entry().before(before).after(after).build();

        before.put("role", "owner");
        after.put("sneaked_in", "yes");

        assertThat(entry.before()).containsExactlyEntriesOf(Map.of("role", "support"));
        assertThat(entry.after()).containsExactlyEntriesOf(Map.of("role", "admin"));
        assertThatThrownBy(() -> entry.before().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> entry.after().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesANullKeyInBeforeOrAfter() {
        Map<String, String> withNullKey = new HashMap<>();
        withNullKey.put(null, "admin");

        assertThatThrownBy(() -> entry().before(withNullKey).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("before has a null key");
        assertThatThrownBy(() -> entry().after(withNullKey).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("after has a null key");
    }

    @Test
    void refusesANullValueInBeforeOrAfter() {
        Map<String, String> withNullValue = new HashMap<>();
        withNullValue.put("role", null);

        assertThatThrownBy(() -> entry().before(withNullValue).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("before has a null value for 'role'");
        assertThatThrownBy(() -> entry().after(withNullValue).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("after has a null value for 'role'");
    }

    @Test
    void keepsOccurredAtToTheMicrosecondThatPostgresStores() {
        AuditEntry entry = entry().occurredAt(Instant.parse("2025-03-14T09:26:53.123456789Z")).build();

        assertThat(entry.occurredAt()).isEqualTo(Instant.parse("2025-03-14T09:26:53.123456Z"));
    }

    static Stream<Arguments> unstorableText() {
        String loneHigh = "a\uD83Db";
        String loneLow = "a\uDE00b";
        String nul = "a\u0000b";
        return Stream.of(
                unstorable("targetId", "unpaired surrogate", b -> b.targetId(loneHigh)),
                unstorable("ip", "unpaired surrogate", b -> b.ip(loneLow)),
                unstorable("requestId", "unpaired surrogate", b -> b.requestId("x\uDE00")),
                unstorable("before key", "unpaired surrogate", b -> b.before(Map.of(loneHigh, "v"))),
                unstorable("after value of 'k'", "unpaired surrogate", b -> b.after(Map.of("k", loneLow))),
                unstorable("targetId", "U+0000", b -> b.targetId(nul)),
                unstorable("requestId", "U+0000", b -> b.requestId(nul)),
                unstorable("before value of 'k'", "U+0000", b -> b.before(Map.of("k", nul))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unstorableText")
    void refusesTextThatWouldNotSurviveHashingOrStorage(
            String field, String problem, Function<AuditFixtures.Builder, AuditFixtures.Builder> corrupt) {
        assertThatThrownBy(() -> corrupt.apply(entry()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(field)
                .hasMessageContaining(problem);
    }

    @Test
    void acceptsTextOutsideTheBasicPlaneAndPunctuation() {
        AuditEntry entry = entry().targetId("😀;1:x").before(Map.of("naïve", "€ {0:};")).build();

        assertThat(entry.targetId()).isEqualTo("😀;1:x");
        assertThat(entry.before()).containsEntry("naïve", "€ {0:};");
    }

    private static Arguments missing(String field, Function<AuditFixtures.Builder, AuditFixtures.Builder> omit) {
        return Arguments.of(field, Named.of("without " + field, omit));
    }

    private static Arguments unstorable(
            String field, String problem, Function<AuditFixtures.Builder, AuditFixtures.Builder> corrupt) {
        return Arguments.of(Named.of(field + " with " + problem, field), problem, corrupt);
    }
}
