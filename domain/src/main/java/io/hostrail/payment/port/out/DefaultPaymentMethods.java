package io.hostrail.payment.port.out;

import io.hostrail.payment.model.ChargeableMethod;
import io.hostrail.shared.model.TenantId;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** The saved method a customer is charged with when they are not there to pay: renewals, dunning retries. */
public interface DefaultPaymentMethods {

    /** The customer's default saved method; empty when they have none. */
    Mono<ChargeableMethod> defaultMethod(TenantId tenant, UUID customerId);
}
