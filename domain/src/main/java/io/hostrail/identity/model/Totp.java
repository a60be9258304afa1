package io.hostrail.identity.model;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238): the HOTP of RFC 4226 computed over the number of whole
 * {@code step}s since the Unix epoch.
 *
 * <p>{@link #Totp()} gives what every authenticator app supports: HMAC-SHA1, 6 digits, 30 seconds. Other
 * settings must also be put in the otpauth URI ({@link OtpAuthUri}), and some apps ignore them there.
 *
 * @param digits length of a code, 6 to 8 (RFC 4226 asks for at least 6; its truncation yields 31 bits, so
 *     more than 9 would not be uniform, and apps offer 6 or 8)
 * @param step how long one code is current: whole seconds, at least one
 * @param algorithm the HMAC
 */
public record Totp(int digits, Duration step, TotpAlgorithm algorithm) {

    public static final int DEFAULT_DIGITS = 6;
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(30);
    public static final TotpAlgorithm DEFAULT_ALGORITHM = TotpAlgorithm.SHA1;
    public static final int MIN_DIGITS = 6;
    public static final int MAX_DIGITS = 8;

    /** The {@code lastUsedStep} to pass to {@link #verify} for a secret no code has been accepted for yet. */
    public static final long NO_STEP_USED_YET = -1;

    /** Steps either side of the current one whose codes are still accepted, for clocks that drift and slow typists. */
    private static final int DRIFT_STEPS = 1;

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    public Totp {
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new IllegalArgumentException(
                    "a TOTP code has " + MIN_DIGITS + " to " + MAX_DIGITS + " digits, not " + digits);
        }
        Objects.requireNonNull(step, "step");
        if (step.compareTo(Duration.ofSeconds(1)) < 0 || step.getNano() != 0) {
            throw new IllegalArgumentException("a TOTP step is a positive whole number of seconds, not " + step);
        }
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /** HMAC-SHA1, 6 digits, 30-second steps. */
    public Totp() {
        this(DEFAULT_DIGITS, DEFAULT_STEP, DEFAULT_ALGORITHM);
    }

    /** The step {@code time} falls in: whole steps since the Unix epoch. */
    public long stepAt(Instant time) {
        Objects.requireNonNull(time, "time");
        if (time.getEpochSecond() < 0) {
            throw new IllegalArgumentException("TOTP steps count from the Unix epoch; " + time + " is before it");
        }
        return time.getEpochSecond() / step.getSeconds();
    }

    /** The code an authenticator app holding {@code secret} shows at {@code time}. */
    public String codeAt(TotpSecret secret, Instant time) {
        Objects.requireNonNull(secret, "secret");
        return codeForStep(mac(secret), stepAt(time));
    }

    /**
     * Checks a code a user typed. It is accepted if it is the code of the current step or of the step either side
     * (clock drift), and that step is later than {@code lastUsedStep}: a code that has been accepted once, or one
     * older than it, is refused, so an observed code cannot be replayed.
     *
     * <p>Store the returned step as the new {@code lastUsedStep} in the same transaction that accepts the login.
     * A code that is not exactly {@link #digits()} ASCII digits is refused without computing anything. The
     * comparison takes the same time however many leading digits match.
     *
     * @param lastUsedStep the step returned by the last successful verification, or {@link #NO_STEP_USED_YET}
     * @return the step the code belongs to, or empty if the code is refused
     */
    public Optional<Long> verify(TotpSecret secret, String code, Instant now, long lastUsedStep) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(code, "code");
        long current = stepAt(now);
        if (!isWellFormed(code)) {
            return Optional.empty();
        }
        byte[] offered = code.getBytes(US_ASCII);
        Mac mac = mac(secret);
        Optional<Long> matched = Optional.empty();
        // Every candidate is computed and compared, and the latest matching step wins: if two steps happened to share
        // this code, accepting the earlier one would leave the later one open to a replay of the same code.
        for (long candidate = current - DRIFT_STEPS; candidate <= current + DRIFT_STEPS; candidate++) {
            if (candidate < 0 || candidate <= lastUsedStep) {
                continue;
            }
            if (MessageDigest.isEqual(codeForStep(mac, candidate).getBytes(US_ASCII), offered)) {
                matched = Optional.of(candidate);
            }
        }
        return matched;
    }

    private boolean isWellFormed(String code) {
        if (code.length() != digits) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** HOTP (RFC 4226 section 5.3) of the step number as a big-endian 8-byte counter. */
    private String codeForStep(Mac mac, long step) {
        byte[] counter = new byte[Long.BYTES];
        for (int i = counter.length - 1; i >= 0; i--) {
            counter[i] = (byte) step;
            step >>>= 8;
        }
        byte[] hash = mac.doFinal(counter);
        int offset = hash[hash.length - 1] & 0x0f;
        int truncated = (hash[offset] & 0x7f) << 24
                | (hash[offset + 1] & 0xff) << 16
                | (hash[offset + 2] & 0xff) << 8
                | (hash[offset + 3] & 0xff);
        String code = Integer.toString(truncated % POWERS_OF_TEN[digits]);
        return "0".repeat(digits - code.length()) + code;
    }

    /** A fresh Mac per call: Mac instances are not thread-safe, and a TOTP check is rare enough not to pool them. */
    private Mac mac(TotpSecret secret) {
        try {
            Mac mac = Mac.getInstance(algorithm.macName());
            mac.init(new SecretKeySpec(secret.bytes(), algorithm.macName()));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("this JVM cannot compute " + algorithm.macName(), e);
        }
    }
}
