package io.hostrail.api.payment;

import io.hostrail.payment.service.PaymentProviderService;
import io.hostrail.payment.service.PaymentService;
import io.hostrail.payment.service.ProviderRefundService;
import io.hostrail.shared.model.IdGenerator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Refunds through Stripe and PayPal, beside the payments and providers wired in {@link PaymentConfiguration}. */
@Configuration(proxyBeanMethods = false)
public class ProviderRefundConfiguration {

    @Bean
    public ProviderRefundService providerRefundService(PaymentService payments, PaymentProviderService providers,
            IdGenerator ids) {
        return new ProviderRefundService(payments, providers, ids);
    }
}
