package io.hostrail.payment.model;

import io.hostrail.shared.model.Money;
import java.util.Objects;

/** What a provider said about a refund; as with payments, {@link Unknown} is never a refusal. */
public sealed interface RefundOutcome {

    record Succeeded(String reference, Money amount) implements RefundOutcome {

        public Succeeded {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(amount, "amount");
        }
    }

    /** Refused or failed for good ({@code charge_already_refunded}, {@code REFUND_AMOUNT_EXCEEDED}, ...). */
    record Declined(String code, String message) implements RefundOutcome {

        public Declined {
            Objects.requireNonNull(code, "code");
        }
    }

    /** Accepted, not yet settled: the provider reports the end by webhook. */
    record Pending(String reference) implements RefundOutcome {

        public Pending {
            Objects.requireNonNull(reference, "reference");
        }
    }

    /** No answer; sending the same refund again is safe. */
    record Unknown(String reason) implements RefundOutcome {

        public Unknown {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
