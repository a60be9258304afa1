package io.hostrail.tax.port.out;

import io.hostrail.shared.model.TenantId;
import io.hostrail.tax.model.TaxRule;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public interface TaxRules {

    Mono<TaxRule> create(TaxRule rule);

    Mono<TaxRule> find(TenantId tenant, UUID id);

    /** The tenant's rules, optionally of one country, by country, region and sequence. */
    Flux<TaxRule> list(TenantId tenant, String country);

    /** Empty when {@code expectedVersion} no longer holds. */
    Mono<TaxRule> update(TaxRule rule, long expectedVersion);

    /** True when a rule was deleted. */
    Mono<Boolean> delete(TenantId tenant, UUID id);
}
