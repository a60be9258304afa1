package io.hostrail.identity.model;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The {@code otpauth://totp/...} URI an authenticator app enrols from, usually shown as a QR code, in the Key URI
 * Format of Google Authenticator: {@code otpauth://totp/Issuer:account?secret=...&issuer=Issuer&algorithm=SHA1
 * &digits=6&period=30}.
 *
 * <p>The URI carries the secret: show it to the user enrolling and nowhere else; never log it.
 */
public final class OtpAuthUri {

    private static final HexFormat UPPER_CASE_HEX = HexFormat.of().withUpperCase();

    private OtpAuthUri() {
    }

    /**
     * @param issuer who the account is with, e.g. the tenant's name; the app shows it as the entry's title
     * @param accountName which account, e.g. the user's email address
     * @throws IllegalArgumentException if either is blank or contains a colon: the Key URI Format forbids colons in
     *     both, since a colon, literal or encoded as {@code %3A}, is what separates them in the label
     */
    public static String of(String issuer, String accountName, TotpSecret secret, Totp totp) {
        requireLabelPart(issuer, "issuer");
        requireLabelPart(accountName, "account name");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(totp, "totp");
        String encodedIssuer = percentEncode(issuer);
        return "otpauth://totp/" + encodedIssuer + ":" + percentEncode(accountName)
                + "?secret=" + secret.base32()
                + "&issuer=" + encodedIssuer
                + "&algorithm=" + totp.algorithm().name()
                + "&digits=" + totp.digits()
                + "&period=" + totp.step().toSeconds();
    }

    private static void requireLabelPart(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException("the " + name + " of an otpauth URI must not be blank");
        }
        if (value.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the " + name + " of an otpauth URI must not contain a colon");
        }
    }

    /**
     * RFC 3986 percent-encoding of the UTF-8 bytes, keeping only the unreserved characters. Unlike
     * {@link java.net.URLEncoder} (HTML form encoding) a space becomes {@code %20}, not {@code +}, which apps would
     * show literally.
     */
    static String percentEncode(String value) {
        StringBuilder encoded = new StringBuilder(value.length() * 3);
        for (byte b : value.getBytes(UTF_8)) {
            if (isUnreserved(b)) {
                encoded.append((char) b);
            } else {
                encoded.append('%').append(UPPER_CASE_HEX.toHexDigits(b));
            }
        }
        return encoded.toString();
    }

    private static boolean isUnreserved(byte b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
                || b == '-' || b == '.' || b == '_' || b == '~';
    }
}
