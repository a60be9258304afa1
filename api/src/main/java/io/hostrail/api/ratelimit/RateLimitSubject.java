package io.hostrail.api.ratelimit;

import io.hostrail.api.security.HostrailAuthentication;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.shared.model.TenantId;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;

/**
 * Whom a request's tokens are counted against. Every request has a client address; an authenticated
 * one also has a user or an API key. The interface is sealed so that a new kind cannot be added without
 * each route group saying what bucket it gets.
 */
public sealed interface RateLimitSubject {

    /** This subject's part of a bucket key, after the route group's name. */
    String key();

    /** The subject an authentication stands for, if it is a kind that is limited. */
    static Optional<RateLimitSubject> of(Authentication authentication) {
        return switch (authentication) {
            case HostrailAuthentication hostrail when hostrail.isAuthenticated() -> Optional.of(of(hostrail.getPrincipal()));
            case null, default -> Optional.empty();
        };
    }

    private static RateLimitSubject of(Principal principal) {
        // An API key's principal carries the key's id where a user's carries the user's.
        return principal.kind() == UserKind.API_KEY
                ? new ApiKey(principal.tenant(), principal.userId())
                : new User(principal.tenant(), principal.userId());
    }

    /** Where the request comes from, as {@link ClientAddresses} resolved it. */
    record ClientAddress(String address) implements RateLimitSubject {

        public ClientAddress {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String key() {
            return "ip:" + address;
        }
    }

    /** A signed-in user (staff or client). The tenant is in the key so an operator can find a tenant's buckets. */
    record User(TenantId tenant, UUID userId) implements RateLimitSubject {

        public User {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(userId, "user id");
        }

        @Override
        public String key() {
            return "user:" + tenant + ":" + userId;
        }
    }

    /** A third party calling with an API key; each key has its own bucket, whoever holds it. */
    record ApiKey(TenantId tenant, UUID keyId) implements RateLimitSubject {

        public ApiKey {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(keyId, "key id");
        }

        @Override
        public String key() {
            return "api-key:" + tenant + ":" + keyId;
        }
    }
}
