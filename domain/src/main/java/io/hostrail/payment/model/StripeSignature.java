package io.hostrail.payment.model;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signature: the {@code Stripe-Signature} header {@code t=<unix seconds>,v1=<hex>[,v1=<hex>...]}
 * (other schemes, such as {@code v0}, are ignored), where each {@code v1} is HMAC-SHA256 under an endpoint secret of
 * {@code "<t>.<raw body>"}. It verifies when any {@code v1} matches under any of the endpoint's secrets (two are active
 * while one is rotated), compared in constant time, and {@code t} is within the tolerance of now either way, so an
 * old delivery cannot be replayed.
 */
public final class StripeSignature {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    private static final int MAX_HEADER = 2_048;

    /** Why a delivery was refused, or that it was not. */
    public enum Verdict {
        VALID, MALFORMED, STALE, MISMATCH
    }

    private StripeSignature() {
    }

    public static Verdict verify(String header, byte[] body, List<String> secrets, Instant now, Duration tolerance) {
        if (header == null || header.isBlank() || header.length() > MAX_HEADER || secrets.isEmpty()) {
            return Verdict.MALFORMED;
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int equals = part.indexOf('=');
            if (equals < 1) {
                return Verdict.MALFORMED;
            }
            String key = part.substring(0, equals).strip();
            String value = part.substring(equals + 1).strip();
            try {
                if (key.equals("t")) {
                    timestamp = Long.parseLong(value);
                } else if (key.equals("v1")) {
                    signatures.add(HexFormat.of().parseHex(value));
                }
            } catch (IllegalArgumentException e) {
                return Verdict.MALFORMED;
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            return Verdict.MALFORMED;
        }
        if (Duration.between(Instant.ofEpochSecond(timestamp), now).abs().compareTo(tolerance) > 0) {
            return Verdict.STALE;
        }
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        for (String secret : secrets) {
            byte[] expected = hmac(secret, prefix, body);
            for (byte[] signature : signatures) {
                if (MessageDigest.isEqual(expected, signature)) {
                    return Verdict.VALID;
                }
            }
        }
        return Verdict.MISMATCH;
    }

    /** The header Stripe would send for {@code body} at {@code timestamp}; for tests and fakes. */
    public static String header(String secret, long timestamp, byte[] body) {
        byte[] signature = hmac(secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(signature);
    }

    private static byte[] hmac(String secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
