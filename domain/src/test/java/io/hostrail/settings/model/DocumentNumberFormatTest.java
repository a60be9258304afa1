package io.hostrail.settings.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentNumberFormatTest {

    @Test
    void rendersYearMonthAndPaddedSequence() {
        assertThat(new DocumentNumberFormat("INV-{yyyy}-{seq:6}").render(2026, 11, 42)).isEqualTo("INV-2026-000042");
        assertThat(new DocumentNumberFormat("{yy}{mm}/{seq}").render(2026, 3, 7)).isEqualTo("2603/7");
        assertThat(new DocumentNumberFormat("R{seq:3}").render(2026, 1, 12345)).isEqualTo("R12345");
    }

    @ParameterizedTest
    @ValueSource(strings = {"INV-{yyyy}", "{seq}{seq}", "INV {seq}", "{seq:0}", "{seq:13}", "{dd}-{seq}", "{yyyy:2}-{seq}", " ",
            "INV-{yyyy}-{seq:6}-AND-SOME-VERY-LONG-SUFFIX"})
    void refusesFormatsThatCannotNumberDocuments(String pattern) {
        assertThatIllegalArgumentException().isThrownBy(() -> new DocumentNumberFormat(pattern));
    }
}
