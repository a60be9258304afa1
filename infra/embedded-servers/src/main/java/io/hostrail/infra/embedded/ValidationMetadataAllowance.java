package io.hostrail.infra.embedded;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Hibernate Validator builds a bean type's constraint metadata once, the first time it validates one, under a lock
 * of its metadata cache; two event loops validating the same new request body type at once park on it for that first
 * build only. A one-off in-memory initialisation, not blocking I/O, so exactly that method is allowed. Loaded by
 * BlockHound in the test JVMs that have this module; never in production.
 */
public final class ValidationMetadataAllowance implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("org.hibernate.validator.internal.metadata.BeanMetaDataManagerImpl",
                "getBeanMetaData");
    }
}
