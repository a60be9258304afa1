package io.hostrail.api.identity;

import io.hostrail.adapters.r2dbc.secrets.R2dbcSecretResealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * After every start, reseals secrets still under a non-active master key (a no-op when none are). Key
 * rotation is: add the new key, make it active, restart, and remove the old key once the log says done.
 */
@Component
public class SecretResealJob {

    private static final Logger log = LoggerFactory.getLogger(SecretResealJob.class);

    private final R2dbcSecretResealer resealer;

    public SecretResealJob(R2dbcSecretResealer resealer) {
        this.resealer = resealer;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void resealInBackground() {
        resealer.resealAll().subscribe(
                count -> {
                    if (count > 0) {
                        log.info("resealed {} secret(s) under the active master key", count);
                    }
                },
                error -> log.error("resealing secrets failed; old master keys must stay configured", error));
    }
}
