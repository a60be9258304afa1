package io.hostrail.api.payment;

import io.hostrail.adapters.r2dbc.payment.R2dbcPayments;
import io.hostrail.adapters.r2dbc.payment.R2dbcProviderAccounts;
import io.hostrail.adapters.r2dbc.payment.R2dbcWebhookEvents;
import io.hostrail.payment.service.WebhookService;
import io.hostrail.shared.event.EventSubscription;
import io.hostrail.shared.event.EventTypePattern;
import io.hostrail.shared.secret.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.invoice.service.CreditNoteService;
import io.hostrail.invoice.service.InvoiceService;
import io.hostrail.ledger.port.out.Ledger;
import io.hostrail.ledger.service.LedgerService;
import io.hostrail.payment.port.out.Payments;
import io.hostrail.payment.service.PaymentService;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.payment.port.out.DefaultPaymentMethods;
import io.hostrail.payment.port.out.PaymentGateways;
import io.hostrail.payment.port.out.ProviderAccounts;
import io.hostrail.payment.service.PaymentProviderService;
import io.hostrail.payment.service.WebhookCatchUpService;
import io.hostrail.webclient.stripe.StripeEvents;
import reactor.core.publisher.Mono;
import io.hostrail.payment.service.PaymentAttemptService;
import io.hostrail.adapters.r2dbc.payment.R2dbcPaymentAttempts;
import io.hostrail.api.config.PeriodicTask;
import io.hostrail.identity.port.out.Tenants;
import io.hostrail.webclient.paypal.PayPalApi;
import io.hostrail.webclient.paypal.PayPalPaymentGateway;
import io.hostrail.webclient.stripe.StripeApi;
import io.hostrail.webclient.stripe.StripePaymentGateway;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
public class PaymentConfiguration {

    @Bean
    public Payments payments(DatabaseClient database, Clock clock) {
        return new R2dbcPayments(database, clock);
    }

    @Bean
    public PaymentService paymentService(Payments payments, InvoiceService invoices, CreditNoteService creditNotes,
            CustomerService customers, LedgerService balances, Ledger ledger, UnitOfWork unitOfWork, DomainEvents events,
            AuditTrail audit, IdGenerator ids, Clock clock) {
        return new PaymentService(payments, invoices, creditNotes, customers, balances, ledger, unitOfWork, events,
                audit, ids, clock);
    }

    @Bean
    public ProviderAccounts providerAccounts(DatabaseClient database, Clock clock) {
        return new R2dbcProviderAccounts(database, clock);
    }

    @Bean
    public StripeApi stripeApi(WebClient.Builder webClients, PaymentProperties properties, Clock clock) {
        return new StripeApi(webClients, properties.stripe().settings(), clock);
    }

    @Bean
    public PayPalApi payPalLiveApi(WebClient.Builder webClients, PaymentProperties properties, Clock clock) {
        return new PayPalApi(webClients, properties.paypal().settings(properties.paypal().liveUrl()), clock);
    }

    @Bean
    public PayPalApi payPalSandboxApi(WebClient.Builder webClients, PaymentProperties properties, Clock clock) {
        return new PayPalApi(webClients, properties.paypal().settings(properties.paypal().sandboxUrl()), clock);
    }

    @Bean
    public PaymentGateways paymentGateways(StripeApi stripeApi, PayPalApi payPalLiveApi, PayPalApi payPalSandboxApi) {
        return new ProviderGateways(new StripePaymentGateway(stripeApi), new PayPalPaymentGateway(payPalLiveApi),
                new PayPalPaymentGateway(payPalSandboxApi));
    }

    @Bean
    public PaymentProviderService paymentProviderService(ProviderAccounts accounts, PaymentGateways gateways,
            SecretBox secrets, UnitOfWork unitOfWork, AuditTrail audit) {
        return new PaymentProviderService(accounts, gateways, secrets, unitOfWork, audit);
    }

    @Bean
    public PaymentAttemptService paymentAttemptService(DatabaseClient database, PaymentProviderService providers,
            DefaultPaymentMethods defaultMethods, PaymentService payments, InvoiceService invoices,
            UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        return new PaymentAttemptService(new R2dbcPaymentAttempts(database), providers, defaultMethods, payments,
                invoices, unitOfWork, events, audit, ids, clock);
    }

    /** Dunning's payment retries are charged on whichever instance consumes their event, once per attempt id. */
    @Bean
    public EventSubscription dunningPaymentRetry(PaymentAttemptService attempts) {
        return new EventSubscription("dunning-payment-retry", EventTypePattern.parse("invoice.payment_retry_due"),
                event -> attempts.onPaymentRetryDue(event).then());
    }

    /** Open attempts are checked with their provider on every instance; each claims its own. */
    @Bean
    public PeriodicTask paymentAttemptJanitor(Tenants tenants, PaymentAttemptService attempts,
            PaymentProperties properties) {
        return new PeriodicTask("payment attempt janitor", properties.attempts().firstCheckAfter(),
                properties.attempts().checkEvery(), () -> tenants.allIds()
                        .concatMap(tenant -> attempts.checkDue(tenant, properties.attempts().batchSize())).then());
    }

    @Bean
    public WebhookService webhookService(DatabaseClient database, ProviderAccounts accounts, PaymentService payments,
            JsonMapper json, SecretBox secrets, UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit,
            IdGenerator ids, Clock clock, PaymentProperties properties) {
        return new WebhookService(new R2dbcWebhookEvents(database), accounts,
                new JacksonProviderEventReader(json), payments, secrets, unitOfWork, events, audit, ids,
                clock, properties.stripeWebhookTolerance());
    }

    @Bean
    public WebhookCatchUpService webhookCatchUpService(WebhookService webhooks, PaymentProviderService providers,
            StripeApi stripeApi, UnitOfWork unitOfWork, AuditTrail audit, Clock clock) {
        return new WebhookCatchUpService(webhooks, providers, new StripeEvents(stripeApi), unitOfWork, audit, clock);
    }

    /**
     * Every instance reads each Stripe-connected tenant's recent events now and then, so a webhook Stripe gave up on
     * (or an endpoint that was down for days) is still processed. Events stored already are skipped; several instances
     * at once store each event once.
     */
    @Bean
    public PeriodicTask webhookCatchUp(Tenants tenants, WebhookCatchUpService catchUps, PaymentProperties properties) {
        return new PeriodicTask("webhook catch-up", properties.catchUp().every(), properties.catchUp().every(),
                () -> tenants.allIds().concatMap(tenant -> catchUps.catchUpScheduled(tenant,
                        properties.catchUp().window()).onErrorResume(failure -> Mono.empty())).then());
    }

    /** Stored deliveries are processed on whichever instance consumes their event. */
    @Bean
    public EventSubscription webhookProcessing(WebhookService webhooks, MeterRegistry meters) {
        return new EventSubscription("webhook-processing", EventTypePattern.parse("webhook.received"),
                event -> webhooks.onWebhookReceived(event)
                        .doOnNext(processed -> meters.counter("hostrail.webhooks.processed", "provider",
                                processed.provider().wireName(), "status", processed.status().wireName())
                                .increment())
                        .then());
    }
}
