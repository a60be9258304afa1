package io.hostrail.payment.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.Actors;
import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.ProviderCredentials;
import io.hostrail.payment.model.ProviderCredentials.Environment;
import io.hostrail.payment.port.out.PaymentGateway;
import io.hostrail.payment.port.out.PaymentGateways;
import io.hostrail.payment.port.out.ProviderAccounts;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.shared.secret.SecretBox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The accounts a tenant connects at Stripe and PayPal, which Hostrail takes payments and refunds through. The secret
 * part is sealed before it is stored and opened only to make a call; staff see the rest and the secret's last four
 * characters.
 */
public final class PaymentProviderService {

    public static final ErrorCode INVALID = ErrorCode.validation("payment_provider.invalid");
    public static final ErrorCode NOT_CONNECTED = ErrorCode.conflict("payment_provider.not_connected");

    private static final Pattern STRIPE_SECRET_KEY = Pattern.compile("(?:sk|rk)_(live|test)_[A-Za-z0-9]{8,247}");
    private static final Pattern STRIPE_PUBLISHABLE_KEY = Pattern.compile("pk_(live|test)_[A-Za-z0-9]{8,247}");
    private static final Pattern PAYPAL_CREDENTIAL = Pattern.compile("[A-Za-z0-9_-]{8,255}");
    private static final Pattern PAYPAL_WEBHOOK_ID = Pattern.compile("[A-Za-z0-9-]{1,255}");

    /** Staff's view of a provider: what is connected, never the secrets. */
    public record ProviderView(Payment.Provider provider, boolean connected, Environment environment, String publicKey,
            String secretLast4, String webhookId, int webhookSecrets) {
    }

    /** A Stripe account, by its API keys: secret ({@code sk_} or restricted {@code rk_}) and publishable, same mode. */
    public record StripeDraft(String secretKey, String publishableKey) {

        @Override
        public String toString() {
            return "StripeDraft[secretKey=****, publishableKey=" + publishableKey + "]";
        }
    }

    /** A PayPal REST app and the webhook registered for the tenant. */
    public record PayPalDraft(String clientId, String clientSecret, String webhookId, String environment) {

        @Override
        public String toString() {
            return "PayPalDraft[clientId=" + clientId + ", clientSecret=****, webhookId=" + webhookId
                    + ", environment=" + environment + "]";
        }
    }

    /**
     * A connected provider, ready to call: the opened account (kept only for the call), the gateway of its
     * environment, and what a payer's browser needs.
     */
    public record Connection(Payment.Provider provider, Environment environment, GatewayAccount account,
            PaymentGateway gateway, String publicKey, String webhookId) {
    }

    private final ProviderAccounts accounts;
    private final PaymentGateways gateways;
    private final SecretBox secrets;
    private final UnitOfWork unitOfWork;
    private final AuditTrail audit;

    public PaymentProviderService(ProviderAccounts accounts, PaymentGateways gateways, SecretBox secrets,
            UnitOfWork unitOfWork, AuditTrail audit) {
        this.accounts = accounts;
        this.gateways = gateways;
        this.secrets = secrets;
        this.unitOfWork = unitOfWork;
        this.audit = audit;
    }

    public Mono<ProviderView> connectStripe(Principal actor, StripeDraft draft) {
        FieldErrors errors = new FieldErrors();
        Matcher secret = STRIPE_SECRET_KEY.matcher(strip(draft.secretKey()));
        Matcher publishable = STRIPE_PUBLISHABLE_KEY.matcher(strip(draft.publishableKey()));
        boolean secretOk = secret.matches();
        boolean publishableOk = publishable.matches();
        if (!secretOk) {
            errors.add("secretKey", "a Stripe secret key starts with sk_live_, sk_test_, rk_live_ or rk_test_");
        }
        if (!publishableOk) {
            errors.add("publishableKey", "a Stripe publishable key starts with pk_live_ or pk_test_");
        }
        if (secretOk && publishableOk && !secret.group(1).equals(publishable.group(1))) {
            errors.add("publishableKey", "is a " + publishable.group(1) + " key, the secret key a "
                    + secret.group(1) + " one; both must be of the same mode");
        }
        if (!errors.isEmpty()) {
            return Mono.error(errors.toException(INVALID, "The Stripe keys are invalid."));
        }
        Environment environment = Environment.fromWire(secret.group(1));
        return connect(actor, Payment.Provider.STRIPE, environment, strip(draft.publishableKey()),
                strip(draft.secretKey()), null);
    }

    public Mono<ProviderView> connectPayPal(Principal actor, PayPalDraft draft) {
        FieldErrors errors = new FieldErrors();
        if (!PAYPAL_CREDENTIAL.matcher(strip(draft.clientId())).matches()) {
            errors.add("clientId", "is required: the REST app's client id");
        }
        if (!PAYPAL_CREDENTIAL.matcher(strip(draft.clientSecret())).matches()) {
            errors.add("clientSecret", "is required: the REST app's secret");
        }
        if (!PAYPAL_WEBHOOK_ID.matcher(strip(draft.webhookId())).matches()) {
            errors.add("webhookId", "is required: the id PayPal gave the webhook registered for this tenant");
        }
        Environment environment = draft.environment() == null ? null
                : errors.check("environment", () -> Environment.fromWire(draft.environment()));
        if (draft.environment() == null) {
            errors.add("environment", "is required: live or sandbox");
        }
        if (!errors.isEmpty()) {
            return Mono.error(errors.toException(INVALID, "The PayPal app is invalid."));
        }
        return connect(actor, Payment.Provider.PAYPAL, environment, strip(draft.clientId()),
                strip(draft.clientSecret()), strip(draft.webhookId()));
    }

    private Mono<ProviderView> connect(Principal actor, Payment.Provider provider, Environment environment,
            String publicKey, String secret, String webhookId) {
        TenantId tenant = actor.tenant();
        ProviderCredentials credentials = new ProviderCredentials(provider, environment, publicKey,
                secrets.seal(secret, context(tenant, provider)), webhookId);
        Map<String, String> after = new LinkedHashMap<>();
        after.put("environment", environment.wireName());
        after.put("publicKey", publicKey);
        after.put("secretLast4", last4(secret));
        if (webhookId != null) {
            after.put("webhookId", webhookId);
        }
        return unitOfWork.inTransaction(() -> accounts.saveCredentials(tenant, credentials)
                .then(audit.record(tenant, Actors.of(actor), "payment_provider.connected", "payment_provider",
                        provider.wireName(), Map.of(), after))
                .then(view(tenant, provider)));
    }

    /** Stripe and PayPal as the tenant has them, connected or not. */
    public Flux<ProviderView> list(Principal actor) {
        return unitOfWork.inTransactionMany(() -> Flux.just(Payment.Provider.STRIPE, Payment.Provider.PAYPAL)
                .concatMap(provider -> view(actor.tenant(), provider)));
    }

    private Mono<ProviderView> view(TenantId tenant, Payment.Provider provider) {
        return accounts.sealedWebhookSecrets(tenant, provider).flatMap(webhookSecrets -> accounts
                .credentials(tenant, provider)
                .map(stored -> new ProviderView(provider, true, stored.environment(), stored.publicKey(),
                        last4(secrets.open(stored.sealedSecret(), context(tenant, provider))), stored.webhookId(),
                        webhookSecrets.size()))
                .defaultIfEmpty(new ProviderView(provider, false, null, null, null, null, webhookSecrets.size())));
    }

    /**
     * The tenant's connected account at the provider, opened for a call, in a transaction of its own (so the caller can
     * call the provider outside any). Fails with {@link #NOT_CONNECTED} when the tenant has none.
     */
    public Mono<Connection> connection(TenantId tenant, Payment.Provider provider) {
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> accounts.credentials(tenant, provider)))
                .switchIfEmpty(Mono.error(() -> new DomainException(NOT_CONNECTED, "No " + provider.wireName()
                        + " account is connected; staff connect one under /api/v1/settings/payment-providers.")))
                .map(stored -> {
                    String secret = secrets.open(stored.sealedSecret(), context(tenant, provider));
                    GatewayAccount account = switch (provider) {
                        case STRIPE -> new GatewayAccount.StripeAccount(tenant, secret);
                        case PAYPAL -> new GatewayAccount.PayPalAccount(tenant, stored.publicKey(), secret);
                        case MANUAL -> throw new IllegalArgumentException("manual payments have no provider account");
                    };
                    return new Connection(provider, stored.environment(), account,
                            gateways.gateway(provider, stored.environment()), stored.publicKey(), stored.webhookId());
                });
    }

    /** The connected providers the tenant's payers can pay through. */
    public Mono<List<Payment.Provider>> connected(TenantId tenant) {
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> Flux.just(Payment.Provider.STRIPE,
                        Payment.Provider.PAYPAL)
                .concatMap(provider -> accounts.credentials(tenant, provider).map(ProviderCredentials::provider))
                .collectList()));
    }

    /** Sealed secrets are bound to their tenant and provider: one copied to another row does not open. */
    public static String context(TenantId tenant, Payment.Provider provider) {
        return "payment-provider:" + provider.wireName() + ":" + tenant.value() + ":secret";
    }

    private static String last4(String secret) {
        return secret.length() <= 4 ? secret : secret.substring(secret.length() - 4);
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }
}
