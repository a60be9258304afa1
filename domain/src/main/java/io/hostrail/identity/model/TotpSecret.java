package io.hostrail.identity.model;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The key shared between Hostrail and a user's authenticator app for TOTP.
 *
 * <p>New secrets are 160 bits, the length RFC 4226 recommends (and that of HMAC-SHA1's output); any length from
 * the 128 bits RFC 4226 requires up to 512 bits is accepted, which covers the RFC 6238 SHA-256 and SHA-512
 * test keys. The bytes are copied in and out so no caller can change a secret another holds, and
 * {@link #toString()} never shows them: a secret must not end up in a log.
 */
public record TotpSecret(byte[] bytes) {

    public static final int GENERATED_LENGTH_BYTES = 20;
    public static final int MIN_LENGTH_BYTES = 16;
    public static final int MAX_LENGTH_BYTES = 64;

    public TotpSecret {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < MIN_LENGTH_BYTES || bytes.length > MAX_LENGTH_BYTES) {
            throw new IllegalArgumentException("a TOTP secret must be " + MIN_LENGTH_BYTES + " to " + MAX_LENGTH_BYTES
                    + " bytes long, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /**
     * A new random secret. Pass a cryptographically strong generator (a {@link java.security.SecureRandom},
     * such as {@code SecureRandoms.warmedDrbg()}); the parameter is the general interface only so tests can
     * pass a seeded one.
     */
    public static TotpSecret generate(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        byte[] bytes = new byte[GENERATED_LENGTH_BYTES];
        random.nextBytes(bytes);
        return new TotpSecret(bytes);
    }

    /**
     * Reads a secret in the form authenticator apps show it. Lower case, spaces and '=' padding are accepted;
     * any other character outside the RFC 4648 base32 alphabet is refused.
     */
    public static TotpSecret fromBase32(String base32) {
        return new TotpSecret(Base32.decode(base32));
    }

    /** The secret as RFC 4648 base32: upper case, no padding, the form the otpauth URI carries. */
    public String base32() {
        return Base32.encode(bytes);
    }

    /** A copy of the key bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Equal when the key bytes are; compared in constant time. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TotpSecret that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TotpSecret[" + bytes.length + " bytes, redacted]";
    }
}
