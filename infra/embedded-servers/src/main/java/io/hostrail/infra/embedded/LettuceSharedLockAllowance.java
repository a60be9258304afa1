package io.hostrail.infra.embedded;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Lettuce's {@code SharedLock} guards a connection's command writers with a brief lock, which two event loops writing
 * to the one Redis connection at once (the rate limiter, under concurrent requests) can contend for. BlockHound's error
 * thrown from inside that critical section left the lock's writer count stuck and the connection hung (seen in the
 * webhook benchmark under BlockHound; redis/lettuce#3804 describes the failure mode). It is Lettuce's deliberate, bounded section, not blocking I/O, so exactly these methods are allowed.
 * Loaded by BlockHound in every test JVM that has this module; never in production.
 */
public final class LettuceSharedLockAllowance implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        String sharedLock = "io.lettuce.core.protocol.SharedLock";
        builder.allowBlockingCallsInside(sharedLock, "incrementWriters")
                .allowBlockingCallsInside(sharedLock, "decrementWriters")
                .allowBlockingCallsInside(sharedLock, "lockWritersExclusive")
                .allowBlockingCallsInside(sharedLock, "doExclusive");
    }
}
