package io.hostrail.identity.model;

import io.hostrail.shared.event.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/** Too many failed sign-ins: the account (as typed: it may not exist) is locked until {@code lockedUntil}. */
public record AccountLockedOut(UUID aggregateId, String email, int failures, Instant lockedUntil) implements DomainEvent {

    @Override
    public String type() {
        return "auth.lockout";
    }
}
