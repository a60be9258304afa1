package io.hostrail.payment.port.out;

import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.ProviderCredentials;
import io.hostrail.shared.model.TenantId;
import java.util.List;
import reactor.core.publisher.Mono;

/** A tenant's settings at each payment provider, its secrets sealed (AES-256-GCM) as they are stored. */
public interface ProviderAccounts {

    /** The sealed webhook signing secrets, newest first; empty when none are set. */
    Mono<List<String>> sealedWebhookSecrets(TenantId tenant, Payment.Provider provider);

    Mono<Void> saveWebhookSecrets(TenantId tenant, Payment.Provider provider, List<String> sealed);

    /** The account the tenant connected at the provider; empty when none is. */
    Mono<ProviderCredentials> credentials(TenantId tenant, Payment.Provider provider);

    /** Connects the account, replacing one connected before; the webhook secrets stay as they are. */
    Mono<Void> saveCredentials(TenantId tenant, ProviderCredentials credentials);
}
