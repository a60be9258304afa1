package io.hostrail.audit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ActorTest {

    private static final UUID ID = UUID.fromString("01959a3c-2f4d-7000-8000-000000000001");

    @Test
    void eachFactoryNamesItsKind() {
        assertThat(Actor.staffUser(ID, "ops@example.com")).isEqualTo(new Actor(Actor.Kind.STAFF_USER, ID, "ops@example.com"));
        assertThat(Actor.clientUser(ID, "jo@example.net")).isEqualTo(new Actor(Actor.Kind.CLIENT_USER, ID, "jo@example.net"));
        assertThat(Actor.apiKey(ID, "hr_live_3f9a")).isEqualTo(new Actor(Actor.Kind.API_KEY, ID, "hr_live_3f9a"));
        assertThat(Actor.system("billing-run")).isEqualTo(new Actor(Actor.Kind.SYSTEM, null, "billing-run"));
    }

    @ParameterizedTest
    @EnumSource(value = Actor.Kind.class, names = "SYSTEM", mode = EnumSource.Mode.EXCLUDE)
    void refusesAPrincipalWithoutAnId(Actor.Kind kind) {
        assertThatThrownBy(() -> new Actor(kind, null, "someone"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(kind.name())
                .hasMessageContaining("needs an id");
    }

    @Test
    void refusesASystemActorWithAnId() {
        assertThatThrownBy(() -> new Actor(Actor.Kind.SYSTEM, ID, "billing-run"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SYSTEM actor has no id");
    }

    @Test
    void refusesAMissingKind() {
        assertThatThrownBy(() -> new Actor(null, ID, "ops@example.com"))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("kind");
    }

    @Test
    void refusesAMissingDisplay() {
        assertThatThrownBy(() -> Actor.staffUser(ID, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("display");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "\t\n"})
    void refusesABlankDisplay(String display) {
        assertThatThrownBy(() -> Actor.staffUser(ID, display))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("display must not be blank");
    }

    @Test
    void refusesADisplayThatCannotBeStoredFaithfully() {
        assertThatThrownBy(() -> Actor.staffUser(ID, "ops\uD800@example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
    }
}
