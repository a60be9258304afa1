package io.hostrail.adapters.security;

import io.hostrail.identity.port.out.PasswordHasher;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Argon2id with OWASP's minimum parameters (19 MiB memory, 2 iterations, 1 lane). Hashing is slow by
 * design, so it runs on a small scheduler of its own: never on an event loop, and bounded so a login
 * flood queues instead of starving everything else of CPU.
 */
public final class Argon2PasswordHasher implements PasswordHasher, AutoCloseable {

    private final Argon2PasswordEncoder encoder;
    private final Scheduler hashing;
    private final String decoyHash;

    /** OWASP's minimum: 19 MiB, 2 iterations. */
    public Argon2PasswordHasher(int threads) {
        this(threads, 19 * 1024, 2);
    }

    /** Hashes made with other parameters still verify: the parameters are stored in each hash. */
    public Argon2PasswordHasher(int threads, int memoryKib, int iterations) {
        this.encoder = new Argon2PasswordEncoder(16, 32, 1, memoryKib, iterations);
        this.hashing = Schedulers.newBoundedElastic(threads, 10_000, "password-hashing");
        this.decoyHash = encoder.encode("decoy password that no account has");
    }

    @Override
    public Mono<String> hash(String password) {
        return Mono.fromCallable(() -> encoder.encode(password)).subscribeOn(hashing);
    }

    @Override
    public Mono<Boolean> matches(String password, String hash) {
        return Mono.fromCallable(() -> encoder.matches(password, hash)).subscribeOn(hashing);
    }

    @Override
    public String decoyHash() {
        return decoyHash;
    }

    @Override
    public void close() {
        hashing.dispose();
    }
}
