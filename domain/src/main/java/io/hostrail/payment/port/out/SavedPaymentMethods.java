package io.hostrail.payment.port.out;

import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.PaymentMethodSetup;
import io.hostrail.payment.model.SavedPaymentMethod;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Payment methods kept at the provider for off-session charges (Stripe's Customers, SetupIntents and PaymentMethods).
 * A call the provider could not answer fails with a {@link io.hostrail.shared.error.DomainException} whose code is one
 * of {@link io.hostrail.payment.model.GatewayErrors}; every creating call is keyed by our id, so repeating it is safe.
 */
public interface SavedPaymentMethods {

    /**
     * Creates the provider's customer for ours and gives its reference ({@code cus_...}).
     *
     * @param customerId our customer, stored with the provider's and keying the request
     */
    Mono<String> createCustomer(GatewayAccount account, UUID customerId, String email, String name);

    /**
     * Starts saving a payment method for {@code customerReference}, for later off-session use; the payer's browser
     * completes it with the client secret.
     *
     * @param setupId our id of this set-up, keying the request
     */
    Mono<PaymentMethodSetup> startSetup(GatewayAccount account, UUID setupId, String customerReference);

    /** The customer's saved payment methods of the given type ({@code card}). */
    Flux<SavedPaymentMethod> list(GatewayAccount account, String customerReference, String type);

    /** Removes a saved payment method from its customer. */
    Mono<Void> detach(GatewayAccount account, String paymentMethodReference);
}
