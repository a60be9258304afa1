package io.hostrail.identity.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * RFC 4648 base32 (the "A-Z2-7" alphabet), as authenticator apps expect TOTP secrets: encoded in upper case
 * without padding; decoded leniently about case, whitespace and trailing padding, strictly about anything else.
 *
 * <p>The text is usually a secret, so error messages name a position, never the input.
 */
final class Base32 {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int BITS_PER_CHAR = 5;
    private static final int NOT_IN_ALPHABET = -1;
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, NOT_IN_ALPHABET);
        for (int value = 0; value < ALPHABET.length; value++) {
            VALUES[ALPHABET[value]] = value;
            VALUES[Character.toLowerCase(ALPHABET[value])] = value;
        }
    }

    private Base32() {
    }

    static String encode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        StringBuilder text = new StringBuilder((bytes.length * 8 + BITS_PER_CHAR - 1) / BITS_PER_CHAR);
        int buffer = 0;
        int bitsInBuffer = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bitsInBuffer += 8;
            while (bitsInBuffer >= BITS_PER_CHAR) {
                bitsInBuffer -= BITS_PER_CHAR;
                text.append(ALPHABET[(buffer >>> bitsInBuffer) & 0x1f]);
            }
        }
        if (bitsInBuffer > 0) {
            text.append(ALPHABET[(buffer << (BITS_PER_CHAR - bitsInBuffer)) & 0x1f]);
        }
        return text.toString();
    }

    /**
     * Decodes base32 text, ignoring case, whitespace anywhere and '=' padding at the end.
     *
     * @throws IllegalArgumentException for a character outside the alphabet, padding before the end, or a
     *     number of characters no byte string encodes to
     */
    static byte[] decode(String text) {
        Objects.requireNonNull(text, "text");
        String compact = withoutWhitespaceAndTrailingPadding(text);
        // 8 characters carry 5 bytes; a final group of 1, 3 or 6 characters would hold a partial byte only.
        int remainder = compact.length() % 8;
        if (remainder == 1 || remainder == 3 || remainder == 6) {
            throw new IllegalArgumentException(
                    "base32 text of " + compact.length() + " characters (ignoring spaces and padding) is truncated");
        }
        byte[] bytes = new byte[compact.length() * BITS_PER_CHAR / 8];
        int buffer = 0;
        int bitsInBuffer = 0;
        int next = 0;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            int value = c < VALUES.length ? VALUES[c] : NOT_IN_ALPHABET;
            if (value == NOT_IN_ALPHABET) {
                throw new IllegalArgumentException("base32 text has a character outside A-Z and 2-7 at position "
                        + (i + 1) + " (ignoring spaces)");
            }
            buffer = (buffer << BITS_PER_CHAR) | value;
            bitsInBuffer += BITS_PER_CHAR;
            if (bitsInBuffer >= 8) {
                bitsInBuffer -= 8;
                bytes[next++] = (byte) (buffer >>> bitsInBuffer);
            }
        }
        return bytes;
    }

    private static String withoutWhitespaceAndTrailingPadding(String text) {
        StringBuilder compact = new StringBuilder(text.length());
        text.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(compact::appendCodePoint);
        int end = compact.length();
        while (end > 0 && compact.charAt(end - 1) == '=') {
            end--;
        }
        compact.setLength(end);
        return compact.toString();
    }
}
