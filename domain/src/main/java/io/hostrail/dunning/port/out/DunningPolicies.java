package io.hostrail.dunning.port.out;

import io.hostrail.dunning.model.DunningPolicy;
import io.hostrail.shared.model.TenantId;
import reactor.core.publisher.Mono;

public interface DunningPolicies {

    /** Empty when the tenant never saved a policy. */
    Mono<DunningPolicy> find(TenantId tenant);

    /** Saves when {@code expectedVersion} holds (0 for a tenant that never saved); empty otherwise. */
    Mono<DunningPolicy> save(DunningPolicy policy, long expectedVersion);
}
