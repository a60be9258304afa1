package io.hostrail.identity.port.out;

import reactor.core.publisher.Mono;

/** A slow, salted password hash. Implementations run off the event loop: hashing is meant to be expensive. */
public interface PasswordHasher {

    Mono<String> hash(String password);

    Mono<Boolean> matches(String password, String hash);

    /** A hash of nothing, to compare against when the user does not exist, so timing does not tell. */
    String decoyHash();
}
