package io.hostrail.identity.model;

/** The HMAC a {@link Totp} is computed with. The constant names are the otpauth URI's {@code algorithm} values. */
public enum TotpAlgorithm {
    SHA1("HmacSHA1"),
    SHA256("HmacSHA256"),
    SHA512("HmacSHA512");

    private final String macName;

    TotpAlgorithm(String macName) {
        this.macName = macName;
    }

    /** The standard JCA name of the HMAC, for {@code javax.crypto.Mac.getInstance}. */
    public String macName() {
        return macName;
    }
}
