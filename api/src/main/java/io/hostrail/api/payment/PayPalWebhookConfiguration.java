package io.hostrail.api.payment;

import io.hostrail.payment.service.PayPalWebhookService;
import io.hostrail.payment.service.PaymentProviderService;
import io.hostrail.payment.service.WebhookService;
import io.hostrail.webclient.paypal.PayPalApi;
import io.hostrail.webclient.paypal.PayPalWebhookSignatureCheck;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * PayPal deliveries, verified by PayPal's API on the host of the tenant's app: a sandbox app is unknown to the live
 * host and the other way round, and each host has its own breaker.
 */
@Configuration(proxyBeanMethods = false)
public class PayPalWebhookConfiguration {

    @Bean
    public PayPalWebhookService payPalWebhookService(PaymentProviderService providers, WebhookService webhooks,
            @Qualifier("payPalLiveApi") PayPalApi payPalLiveApi,
            @Qualifier("payPalSandboxApi") PayPalApi payPalSandboxApi) {
        return new PayPalWebhookService(providers, webhooks, new PayPalWebhookSignatureCheck(payPalLiveApi),
                new PayPalWebhookSignatureCheck(payPalSandboxApi));
    }
}
