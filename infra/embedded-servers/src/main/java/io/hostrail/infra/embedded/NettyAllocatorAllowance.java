package io.hostrail.infra.embedded;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Netty 4.2's adaptive buffer allocator takes a StampedLock for a few instructions when it grows or frees
 * a magazine, on its own event loop; under contention BlockHound sees the park. It is Netty's deliberate,
 * bounded critical section, not blocking I/O, so exactly these methods are allowed. Loaded by BlockHound
 * in every test JVM that has this module (the integration tests); never in production.
 */
public final class NettyAllocatorAllowance implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        String magazine = "io.netty.buffer.AdaptivePoolingAllocator$Magazine";
        String group = "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup";
        builder.allowBlockingCallsInside(magazine, "free")
                .allowBlockingCallsInside(magazine, "allocate")
                .allowBlockingCallsInside(group, "tryExpandMagazines")
                .allowBlockingCallsInside(group, "allocate");
    }
}
