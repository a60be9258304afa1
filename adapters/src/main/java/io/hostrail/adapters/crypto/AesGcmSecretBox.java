package io.hostrail.adapters.crypto;

import io.hostrail.shared.secret.SecretBox;
import io.hostrail.shared.secret.SecretBoxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link SecretBox} with AES-256-GCM from the JDK. A sealed value is
 * {@code hs1:<keyId>:<base64url, unpadded, of nonce(12) || ciphertext || tag(16)>}; the context is the
 * GCM associated data, so it is authenticated but not stored.
 *
 * <p>Safe to share between threads and to call from event-loop threads: nothing here blocks once built.
 * Build it at startup, off the event loop.
 */
public final class AesGcmSecretBox implements SecretBox {

    private static final String FORMAT = "hs1";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** 96 bits: the nonce size GCM is designed for; any other size is hashed into one. */
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int TAG_BYTES = TAG_BITS / 8;

    private static final Base64.Encoder PAYLOAD_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder PAYLOAD_DECODER = Base64.getUrlDecoder();

    private final Map<String, SecretKey> keysById;
    private final String activeKeyId;
    /**
     * A DRBG rather than {@code new SecureRandom()}: on Linux the default reads /dev/urandom through a
     * FileInputStream, a blocking call BlockHound rejects on event-loop threads. A DRBG takes its seed once,
     * here in the constructor, and afterwards generates in memory (the JDK's reseeds on its own only after
     * 2^31 requests). It is thread-safe, so one is shared.
     */
    private final SecureRandom nonces;

    public AesGcmSecretBox(MasterKeys masterKeys) {
        Objects.requireNonNull(masterKeys, "master keys");
        Map<String, SecretKey> keys = new TreeMap<>();
        masterKeys.keys().forEach((id, key) -> {
            keys.put(id, new SecretKeySpec(key, "AES"));
            Arrays.fill(key, (byte) 0);
        });
        this.keysById = Collections.unmodifiableMap(keys);
        this.activeKeyId = masterKeys.activeKeyId();
        try {
            this.nonces = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK offers no DRBG SecureRandom", e);
        }
        // The first nextBytes is what seeds the DRBG from the system: do it now, not on an event loop.
        nonces.nextBytes(new byte[NONCE_BYTES]);
        // One round trip loads the JCE provider and cipher classes now rather than on the first request,
        // and fails startup if this JDK cannot do AES-256-GCM.
        String probe = "start-up probe";
        if (!probe.equals(open(seal(probe, probe), probe))) {
            throw new IllegalStateException("AES-GCM round trip failed at start-up");
        }
    }

    @Override
    public String seal(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] associatedData = associatedData(context);
        byte[] nonce = new byte[NONCE_BYTES];
        nonces.nextBytes(nonce);
        byte[] plaintextBytes = plaintext.getBytes(StandardCharsets.UTF_8);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keysById.get(activeKeyId), nonce);
            cipher.updateAAD(associatedData);
            byte[] payload = new byte[NONCE_BYTES + cipher.getOutputSize(plaintextBytes.length)];
            System.arraycopy(nonce, 0, payload, 0, NONCE_BYTES);
            cipher.doFinal(plaintextBytes, 0, plaintextBytes.length, payload, NONCE_BYTES);
            return FORMAT + ":" + activeKeyId + ":" + PAYLOAD_ENCODER.encodeToString(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        } finally {
            Arrays.fill(plaintextBytes, (byte) 0);
        }
    }

    @Override
    public String open(String sealed, String context) {
        byte[] associatedData = associatedData(context);
        SealedValue value = SealedValue.parse(sealed);
        SecretKey key = keysById.get(value.keyId());
        if (key == null) {
            throw new SecretBoxException("sealed under master key '" + value.keyId() + "', which is not configured");
        }
        byte[] plaintextBytes = null;
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(value.payload(), NONCE_BYTES));
            cipher.updateAAD(associatedData);
            plaintextBytes = cipher.doFinal(value.payload(), NONCE_BYTES, value.payload().length - NONCE_BYTES);
            return new String(plaintextBytes, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretBoxException("sealed value does not authenticate: tampered with, or sealed for another context", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        } finally {
            if (plaintextBytes != null) {
                Arrays.fill(plaintextBytes, (byte) 0);
            }
        }
    }

    @Override
    public boolean isSealedWithActiveKey(String sealed) {
        return SealedValue.parse(sealed).keyId().equals(activeKeyId);
    }

    @Override
    public String reseal(String sealed, String context) {
        String plaintext = open(sealed, context);
        return isSealedWithActiveKey(sealed) ? sealed : seal(plaintext, context);
    }

    @Override
    public String activeKeyId() {
        return activeKeyId;
    }

    @Override
    public String toString() {
        return "AesGcmSecretBox[keyIds=" + keysById.keySet() + ", activeKeyId=" + activeKeyId + "]";
    }

    /** A new Cipher per call: Cipher instances hold state and are not thread-safe, and getInstance is cheap. */
    private Cipher cipher(int mode, SecretKey key, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        // GCM draws nothing from it when given a nonce, but passing our DRBG keeps init from creating the
        // JDK's default, file-backed SecureRandom on whichever thread happens to call first.
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce), nonces);
        return cipher;
    }

    private static byte[] associatedData(String context) {
        Objects.requireNonNull(context, "context");
        if (context.isBlank()) {
            throw new IllegalArgumentException("context must not be blank: it is what binds a sealed value to its owner");
        }
        return context.getBytes(StandardCharsets.UTF_8);
    }

    /** The parts of {@code hs1:<keyId>:<payload>}, checked for shape only; authenticity is GCM's job. */
    private record SealedValue(String keyId, byte[] payload) {

        static SealedValue parse(String sealed) {
            Objects.requireNonNull(sealed, "sealed value");
            String[] parts = sealed.split(":", -1);
            if (parts.length != 3 || !parts[0].equals(FORMAT)) {
                throw new SecretBoxException("not a sealed value of format " + FORMAT);
            }
            String keyId = parts[1];
            if (!MasterKeys.KEY_ID.matcher(keyId).matches()) {
                throw new SecretBoxException("sealed value has a malformed master key id");
            }
            byte[] payload;
            try {
                payload = PAYLOAD_DECODER.decode(parts[2]);
            } catch (IllegalArgumentException e) {
                throw new SecretBoxException("sealed value payload is not base64url");
            }
            // The decoder tolerates padding and stray low bits; insisting on the one encoding we write keeps
            // every secret to a single sealed form.
            if (!PAYLOAD_ENCODER.encodeToString(payload).equals(parts[2])) {
                throw new SecretBoxException("sealed value payload is not unpadded base64url");
            }
            if (payload.length < NONCE_BYTES + TAG_BYTES) {
                throw new SecretBoxException("sealed value payload is too short to hold a nonce and a tag");
            }
            return new SealedValue(keyId, payload);
        }
    }
}
