package io.hostrail.shared.secret;

/**
 * A sealed value could not be opened: malformed, tampered with, sealed for another context, or under a
 * master key that is not configured. The message names which, and never carries plaintext or key material,
 * because it is meant to reach logs.
 */
public final class SecretBoxException extends RuntimeException {

    public SecretBoxException(String message) {
        super(message);
    }

    public SecretBoxException(String message, Throwable cause) {
        super(message, cause);
    }
}
