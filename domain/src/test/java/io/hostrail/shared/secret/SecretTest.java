package io.hostrail.shared.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SecretTest {

    private static final String TOKEN = "whm-api-token-7Q2XK9";

    @Test
    void revealsItsValueOnlyWhenAsked() {
        assertThat(new Secret(TOKEN).reveal()).isEqualTo(TOKEN);
    }

    @Test
    @DisplayName("printed directly, inside a collection or in a string concatenation, a secret shows as ****")
    void neverPrintsItsValue() {
        Secret secret = new Secret(TOKEN);

        assertThat(secret).hasToString("Secret[****]");
        assertThat(String.valueOf(List.of(secret))).doesNotContain(TOKEN);
        assertThat(String.valueOf(Map.of("apiToken", secret))).doesNotContain(TOKEN).contains("****");
        assertThat("connecting with " + secret).doesNotContain(TOKEN);
        assertThat(String.format("token=%s", secret)).doesNotContain(TOKEN);
    }

    @Test
    void equalByValue() {
        assertThat(new Secret(TOKEN)).isEqualTo(new Secret(TOKEN)).hasSameHashCodeAs(new Secret(TOKEN));
        assertThat(new Secret(TOKEN)).isNotEqualTo(new Secret(TOKEN + "x"));
    }

    @Test
    void refusesNullAndBlank() {
        assertThatThrownBy(() -> new Secret(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Secret("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Secret(" \t\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret must not be blank");
    }
}
