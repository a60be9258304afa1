package io.hostrail.identity.port.out;

import io.hostrail.identity.model.Principal;
import java.time.Instant;
import reactor.core.publisher.Mono;

/** Signs short-lived access tokens that carry who the caller is and what they may do. */
public interface AccessTokens {

    record Issued(String token, Instant expiresAt) {
    }

    Mono<Issued> issue(Principal principal, Instant issuedAt);
}
