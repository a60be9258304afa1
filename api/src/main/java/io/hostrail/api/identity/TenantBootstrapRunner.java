package io.hostrail.api.identity;

import io.hostrail.identity.service.TenantBootstrap;
import io.hostrail.identity.service.TenantBootstrap.NewTenant;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * On the first start against an empty database, creates the first tenant and its owner, so a new user
 * can sign in at once. The owner's password comes from configuration; when none is set a strong one is
 * generated and printed to the console once (never logged), and should be changed.
 */
@Component
public class TenantBootstrapRunner {

    private static final Logger log = LoggerFactory.getLogger(TenantBootstrapRunner.class);

    private final TenantBootstrap bootstrap;
    private final IdentityProperties properties;
    private final SecureRandom random;

    public TenantBootstrapRunner(TenantBootstrap bootstrap, IdentityProperties properties, SecureRandom random) {
        this.bootstrap = bootstrap;
        this.properties = properties;
        this.random = random;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void bootstrapIfEmpty() {
        bootstrap.anyTenantExists()
                .filter(exists -> !exists)
                .flatMap(empty -> {
                    boolean generated = properties.bootstrapOwnerPassword().isBlank();
                    String password = generated ? generatePassword() : properties.bootstrapOwnerPassword();
                    return bootstrap.create(new NewTenant(properties.bootstrapTenantSlug(),
                                    properties.bootstrapTenantName(), properties.bootstrapOwnerEmail(), password))
                            .doOnNext(created -> {
                                log.info("bootstrapped tenant '{}' with owner {}", created.tenant().slug(),
                                        created.owner().email());
                                System.out.println("Hostrail first start: tenant '" + created.tenant().slug()
                                        + "', owner " + created.owner().email() + (generated
                                                ? ", password " + password + " (shown once: sign in and change it)"
                                                : ", password from HOSTRAIL_IDENTITY_BOOTSTRAP_OWNER_PASSWORD"));
                            });
                })
                .subscribe(created -> { }, error -> log.error("could not bootstrap the first tenant", error));
    }

    private String generatePassword() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
