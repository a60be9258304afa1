package io.hostrail.infra.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The all-in-one run's master key for secrets at rest: made on first start and kept in the data
 * directory (readable by its owner only), so sealed secrets survive restarts. Production sets
 * {@code HOSTRAIL_SECRETS_MASTER_KEYS} from a secret store instead; that always wins.
 */
final class LocalMasterKey {

    private static final String KEY_ID = "local-1";

    private LocalMasterKey() {
    }

    static Map<String, Object> properties(Path dataDirectory) {
        Path file = dataDirectory.resolve("master-key");
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.createDirectories(dataDirectory);
                Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Best effort on file systems without POSIX permissions.
                }
            }
            String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return Map.of("hostrail.secrets.master-keys", KEY_ID + ":" + key, "hostrail.secrets.active-key", KEY_ID);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create the local master key in " + dataDirectory, e);
        }
    }
}
