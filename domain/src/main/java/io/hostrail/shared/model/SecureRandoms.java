package io.hostrail.shared.model;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Sources of cryptographically strong randomness that are safe to use on event-loop threads. */
public final class SecureRandoms {

    private SecureRandoms() {
    }

    /**
     * A NIST SP 800-90A DRBG that has already been seeded, so it can be shared and called from any thread.
     *
     * <p>Why not {@code new SecureRandom()}: on Linux its default (NativePRNG) reads {@code /dev/urandom}
     * through a {@code FileInputStream} on calls, and BlockHound reports that file read as blocking when it
     * happens on an event-loop thread. A DRBG reads the operating system's entropy only to seed itself, on its
     * first use, and then generates in memory. The one {@code nextBytes} call here does that seeding now, so
     * callers should obtain this at wiring time, off the event loop.
     */
    public static SecureRandom warmedDrbg() {
        try {
            SecureRandom drbg = SecureRandom.getInstance("DRBG");
            drbg.nextBytes(new byte[1]);
            return drbg;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM offers no DRBG SecureRandom", e);
        }
    }
}
