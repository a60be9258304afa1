package io.hostrail.adapters.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The AES-256 master keys that seal secrets at rest, by key id, and which of them seals new values. Keys
 * that are no longer active stay listed until every value sealed under them has been resealed.
 *
 * <p>Nothing here ever prints key bytes: not {@link #toString()}, not an error message. Errors name the
 * key id instead, and only when the id is well formed (a malformed "id" may be a key pasted in the wrong
 * place).
 */
public record MasterKeys(Map<String, byte[]> keys, String activeKeyId) {

    /** AES-256. */
    public static final int KEY_BYTES = 32;

    /** Ids travel inside every sealed value ({@code hs1:<keyId>:...}), so they are short and need no escaping. */
    public static final Pattern KEY_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    public MasterKeys {
        Objects.requireNonNull(keys, "master keys");
        Objects.requireNonNull(activeKeyId, "active master key id");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no master keys configured");
        }
        // Sorted, so toString and error messages list ids in a stable order.
        Map<String, byte[]> copies = new TreeMap<>();
        keys.forEach((id, key) -> {
            if (id == null || !KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("a master key id does not match " + KEY_ID.pattern());
            }
            if (key == null || key.length != KEY_BYTES) {
                throw new IllegalArgumentException("master key '" + id + "' must be " + KEY_BYTES + " bytes (AES-256), was "
                        + (key == null ? "missing" : key.length + " bytes"));
            }
            copies.put(id, key.clone());
        });
        if (!copies.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("active master key " + describeId(activeKeyId)
                    + " is not among the configured keys " + copies.keySet());
        }
        keys = Collections.unmodifiableMap(copies);
    }

    /**
     * Reads keys written as {@code id1:base64key,id2:base64key}, the form they take in configuration. Keys
     * may be standard or URL-safe base64, padded or not; whitespace around entries is ignored.
     */
    public static MasterKeys parse(String spec, String activeKeyId) {
        Objects.requireNonNull(spec, "master keys spec");
        Map<String, byte[]> keys = new TreeMap<>();
        String[] entries = spec.split(",", -1);
        for (int position = 1; position <= entries.length; position++) {
            String entry = entries[position - 1].strip();
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("master key entry " + position + " is not of the form id:base64key");
            }
            String id = entry.substring(0, colon).strip();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("master key entry " + position + " has an id that does not match "
                        + KEY_ID.pattern());
            }
            if (keys.containsKey(id)) {
                throw new IllegalArgumentException("master key '" + id + "' is listed twice");
            }
            keys.put(id, decode(id, entry.substring(colon + 1).strip()));
        }
        return new MasterKeys(keys, activeKeyId);
    }

    /** A new random key in standard base64, ready to paste into configuration after an id and a colon. */
    public static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A copy: the keys held here cannot be changed through what this returns. */
    @Override
    public Map<String, byte[]> keys() {
        Map<String, byte[]> copies = new TreeMap<>();
        keys.forEach((id, key) -> copies.put(id, key.clone()));
        return copies;
    }

    /** A copy of the key with this id. */
    public byte[] key(String keyId) {
        byte[] key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("no master key " + describeId(keyId));
        }
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof MasterKeys that) || !activeKeyId.equals(that.activeKeyId)
                || !keys.keySet().equals(that.keys.keySet())) {
            return false;
        }
        return keys.entrySet().stream()
                .allMatch(entry -> MessageDigest.isEqual(entry.getValue(), that.keys.get(entry.getKey())));
    }

    @Override
    public int hashCode() {
        // Ids only: a hash of the key bytes would be a (weak) fingerprint of them.
        return Objects.hash(keys.keySet(), activeKeyId);
    }

    @Override
    public String toString() {
        return "MasterKeys[keyIds=" + keys.keySet() + ", activeKeyId=" + activeKeyId + "]";
    }

    private static byte[] decode(String id, String base64) {
        boolean urlSafe = base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(base64);
        } catch (IllegalArgumentException notBase64) {
            // The decoder's own message quotes the offending character of the key, so it is not passed on.
            throw new IllegalArgumentException("master key '" + id + "' is not valid base64");
        }
    }

    private static String describeId(String id) {
        return id != null && KEY_ID.matcher(id).matches() ? "'" + id + "'" : "(id not of the form " + KEY_ID.pattern() + ")";
    }
}
