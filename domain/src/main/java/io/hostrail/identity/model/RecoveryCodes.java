package io.hostrail.identity.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Single-use codes that stand in for a TOTP code when the authenticator is lost.
 *
 * <p>A code is 10 characters from an alphabet without the look-alikes 0/o, 1/i/l (31 symbols, so about 49.5 bits),
 * shown as {@code xxxxx-xxxxx}. This class only makes and normalizes them; the caller stores each one hashed
 * (through the password hasher port), hashing {@link #normalize normalized} input, and deletes a hash once used.
 */
public final class RecoveryCodes {

    public static final int DEFAULT_COUNT = 10;
    public static final int MAX_COUNT = 100;

    /** Lower-case letters and digits without 0, o, 1, i and l. */
    static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

    /** How a code is shown to the user. */
    public static final Pattern DISPLAY_FORMAT = Pattern.compile("[" + ALPHABET + "]{5}-[" + ALPHABET + "]{5}");

    private static final Pattern NORMALIZED_FORMAT = Pattern.compile("[" + ALPHABET + "]{10}");
    private static final Pattern SPACES_AND_DASHES = Pattern.compile("[\\s-]+");
    private static final int GROUP_LENGTH = 5;

    private RecoveryCodes() {
    }

    /** {@value #DEFAULT_COUNT} distinct codes; pass a {@link java.security.SecureRandom}. */
    public static List<String> generate(RandomGenerator random) {
        return generate(random, DEFAULT_COUNT);
    }

    /** {@code count} distinct codes in display form; pass a {@link java.security.SecureRandom}. */
    public static List<String> generate(RandomGenerator random, int count) {
        Objects.requireNonNull(random, "random");
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("between 1 and " + MAX_COUNT + " recovery codes can be made, not " + count);
        }
        Set<String> codes = new LinkedHashSet<>();
        while (codes.size() < count) {
            codes.add(newCode(random));
        }
        return List.copyOf(codes);
    }

    /**
     * A code as the user typed it, in the form to hash and compare: surrounding and inner whitespace and dashes
     * removed, lower case. {@code " ABCDE-fghij "} becomes {@code "abcdefghij"}.
     */
    public static String normalize(String input) {
        Objects.requireNonNull(input, "input");
        return SPACES_AND_DASHES.matcher(input).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /**
     * Whether normalized input could be a recovery code at all, so obvious junk is refused without spending a
     * password-hash computation on it.
     */
    public static boolean isWellFormed(String normalized) {
        Objects.requireNonNull(normalized, "normalized");
        return NORMALIZED_FORMAT.matcher(normalized).matches();
    }

    private static String newCode(RandomGenerator random) {
        StringBuilder code = new StringBuilder(2 * GROUP_LENGTH + 1);
        for (int i = 0; i < 2 * GROUP_LENGTH; i++) {
            if (i == GROUP_LENGTH) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}
