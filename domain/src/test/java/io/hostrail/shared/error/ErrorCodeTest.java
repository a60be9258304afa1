package io.hostrail.shared.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorCodeTest {

    @ParameterizedTest
    @ValueSource(strings = {"invoice", "invoice.not_found", "payment.card.declined", "plan_v2.limit_reached"})
    void acceptsDottedSnakeCaseCodes(String value) {
        assertThat(ErrorCode.validation(value).value()).isEqualTo(value);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "Invoice.not_found", "invoice.notFound", "invoice.not-found", "invoice.", ".not_found",
            "invoice..not_found", "invoice not found", "1nvoice.not_found", "invoice._not_found"})
    void refusesCodesThatAreNotDottedSnakeCase(String value) {
        assertThatThrownBy(() -> ErrorCode.validation(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dotted snake_case");
    }

    @Test
    void refusesMissingParts() {
        assertThatThrownBy(() -> new ErrorCode(null, ErrorKind.VALIDATION)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ErrorCode("invoice.not_found", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void factoriesSetTheKind() {
        assertThat(ErrorCode.validation("invoice.line_invalid").kind()).isEqualTo(ErrorKind.VALIDATION);
        assertThat(ErrorCode.notFound("invoice.not_found").kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(ErrorCode.conflict("invoice.version_conflict").kind()).isEqualTo(ErrorKind.CONFLICT);
        assertThat(ErrorCode.rejected("invoice.already_finalized").kind()).isEqualTo(ErrorKind.REJECTED);
    }

    @Test
    void kindsWithoutAFactoryAreMadeWithTheConstructor() {
        assertThat(new ErrorCode("provider.unavailable", ErrorKind.UNAVAILABLE).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(new ErrorCode("provider.timed_out", ErrorKind.TIMEOUT).kind()).isEqualTo(ErrorKind.TIMEOUT);
    }
}
