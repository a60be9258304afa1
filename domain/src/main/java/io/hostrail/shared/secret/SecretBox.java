package io.hostrail.shared.secret;

/**
 * Seals secrets kept at rest (gateway keys, WHM tokens, registrar credentials) and opens them again.
 *
 * <p>A sealed value is a self-describing string {@code hs1:<keyId>:<payload>}: the format version, the id
 * of the master key that sealed it, and the encrypted secret. Carrying the key id lets the master key
 * rotate: values sealed under a retired key still open as long as that key is configured, and
 * {@link #reseal} moves them to the active key.
 *
 * <p>Every seal is bound to a {@code context} naming where the value belongs, for example
 * {@code tenant:<uuid>:whm-server:<uuid>:api-token}. A sealed value copied to another row, another
 * field or another tenant does not open there. Use the same context to open as to seal.
 *
 * <p>Arguments must not be null. Every failure to open is a {@link SecretBoxException}, whose message
 * never carries the plaintext or key material.
 */
public interface SecretBox {

    /** Encrypts {@code plaintext} under the active master key, bound to {@code context} (not blank). */
    String seal(String plaintext, String context);

    /**
     * Decrypts a value produced by {@link #seal} with the same {@code context}.
     *
     * @throws SecretBoxException if the value is malformed, was tampered with, was sealed for another
     *     context, or names a master key that is not configured
     */
    String open(String sealed, String context);

    /**
     * True when the value names the active master key, so {@link #reseal} would leave it unchanged. Reads
     * only the header: it says nothing about whether the value opens.
     *
     * @throws SecretBoxException if the value is malformed
     */
    boolean isSealedWithActiveKey(String sealed);

    /**
     * Opens the value with whichever master key it names and seals it again under the active one; a value
     * already under the active key is returned unchanged, once it has been shown to open. Rotation runs
     * this over every stored value, so a value that no longer opens surfaces here rather than on first use.
     *
     * @throws SecretBoxException as {@link #open} does
     */
    String reseal(String sealed, String context);

    /** The id of the master key new values are sealed under. */
    String activeKeyId();
}
