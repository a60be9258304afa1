package io.hostrail.subscription.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a subscription is in its life. {@link #CANCELLED} means billing has stopped while the service may still exist
 * until it is removed ({@link #TERMINATED}); {@link #TERMINATED} is final.
 */
public enum SubscriptionStatus {
    PENDING, ACTIVE, SUSPENDED, CANCELLED, TERMINATED;

    /** The wire name: {@code active}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SubscriptionStatus fromWire(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not a subscription status; use one of " + wireNames());
        }
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(SubscriptionStatus::wireName).collect(Collectors.joining(", "));
    }

    public boolean canMoveTo(SubscriptionStatus target) {
        return switch (this) {
            case PENDING -> target == ACTIVE || target == CANCELLED;
            case ACTIVE -> target == SUSPENDED || target == CANCELLED || target == TERMINATED;
            case SUSPENDED -> target == ACTIVE || target == CANCELLED || target == TERMINATED;
            case CANCELLED -> target == TERMINATED;
            case TERMINATED -> false;
        };
    }

    /** Whether the subscription runs through billing periods: it has a current period that renews. */
    public boolean isRunning() {
        return this == ACTIVE || this == SUSPENDED;
    }
}
