package io.hostrail.identity.model;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a password must be: long enough (length beats composition rules, as NIST SP 800-63B says), not
 * absurdly long (hashing cost), not one of the passwords known from breaches, and not the email.
 */
public record PasswordPolicy(int minLength, int maxLength, Set<String> breachedPasswords) {

    public PasswordPolicy {
        if (minLength < 8 || maxLength < minLength || maxLength > 1024) {
            throw new IllegalArgumentException("password length bounds must satisfy 8 <= min <= max <= 1024");
        }
        breachedPasswords = Set.copyOf(breachedPasswords);
    }

    /** Why the password is refused, or empty when it is acceptable. */
    public Optional<String> violation(String password, String email) {
        if (password == null || password.codePointCount(0, password.length()) < minLength) {
            return Optional.of("must be at least " + minLength + " characters");
        }
        if (password.codePointCount(0, password.length()) > maxLength) {
            return Optional.of("must be at most " + maxLength + " characters");
        }
        String lowered = password.toLowerCase(Locale.ROOT);
        if (breachedPasswords.contains(lowered)) {
            return Optional.of("appears in a list of breached passwords");
        }
        if (email != null && lowered.contains(email.toLowerCase(Locale.ROOT).split("@")[0])
                && email.split("@")[0].length() >= 4) {
            return Optional.of("must not contain the email's name part");
        }
        return Optional.empty();
    }
}
