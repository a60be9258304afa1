package io.hostrail.settings.port.out;

import io.hostrail.settings.model.BillingSettings;
import io.hostrail.shared.model.TenantId;
import reactor.core.publisher.Mono;

public interface BillingSettingsStore {

    /** Empty when the tenant never saved settings. */
    Mono<BillingSettings> find(TenantId tenant);

    /** Saves when {@code expectedVersion} holds (0 for a tenant that never saved); empty otherwise. */
    Mono<BillingSettings> save(BillingSettings settings, long expectedVersion);
}
