package io.hostrail.payment.service;

import io.hostrail.audit.model.Actor;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.Actors;
import io.hostrail.payment.model.ChargeableMethod;
import io.hostrail.payment.model.CustomerPaymentMethod;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentMethodEvents.PaymentMethodDefaultChanged;
import io.hostrail.payment.model.PaymentMethodEvents.PaymentMethodRemoved;
import io.hostrail.payment.model.PaymentMethodEvents.PaymentMethodSaved;
import io.hostrail.payment.model.PaymentMethodWallet;
import io.hostrail.payment.model.PaymentMethodWallet.Reconciliation;
import io.hostrail.payment.port.out.CustomerPaymentMethods;
import io.hostrail.payment.port.out.DefaultPaymentMethods;
import io.hostrail.payment.port.out.ProviderCustomers;
import io.hostrail.payment.port.out.SavedPaymentMethods;
import io.hostrail.payment.service.PaymentProviderService.Connection;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.TenantContext;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cards customers save at Stripe for off-session charges, and which of them is the default. The card itself never
 * passes through Hostrail: a set-up gives the payer's browser a client secret, Stripe.js confirms it with Stripe, and a
 * sync then reads what Stripe has for the customer. Provider calls run outside any transaction; what they change here
 * is recorded afterwards, under the customer's lock, so a customer's methods change one request at a time. PayPal
 * keeps no saved methods here.
 */
public final class SavedPaymentMethodService implements DefaultPaymentMethods {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("payment_method.not_found");

    /** The only provider with saved methods today. */
    private static final Payment.Provider STRIPE = Payment.Provider.STRIPE;
    /** Set-ups ask for cards only, so cards are all a customer can have saved. */
    private static final String CARD = "card";

    /**
     * A set-up the payer's browser completes with Stripe.js ({@code stripe.confirmCardSetup(clientSecret, ...)}), with
     * the tenant's publishable key.
     *
     * @param setupReference the provider's id of the set-up ({@code seti_...})
     */
    public record SetupStarted(Payment.Provider provider, String setupReference, String clientSecret,
            String publishableKey) {

        @Override
        public String toString() {
            return "SetupStarted[provider=" + provider + ", setupReference=" + setupReference + ", clientSecret=****]";
        }
    }

    private record Seen(Customer customer, Optional<String> providerCustomer) {
    }

    private final CustomerPaymentMethods methods;
    private final ProviderCustomers providerCustomers;
    private final SavedPaymentMethods atProvider;
    private final PaymentProviderService providers;
    private final CustomerService customers;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    private final Clock clock;

    public SavedPaymentMethodService(CustomerPaymentMethods methods, ProviderCustomers providerCustomers,
            SavedPaymentMethods atProvider, PaymentProviderService providers, CustomerService customers,
            UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids, Clock clock) {
        this.methods = methods;
        this.providerCustomers = providerCustomers;
        this.atProvider = atProvider;
        this.providers = providers;
        this.customers = customers;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Starts saving a card for the customer: makes its Stripe customer the first time (keyed by our customer id, so
     * Stripe answers a repeated or concurrent request with the same customer, and the first reference stored is the
     * one kept), then a SetupIntent for off-session use.
     */
    public Mono<SetupStarted> startSetup(Principal actor, UUID customerId) {
        TenantId tenant = actor.tenant();
        return seen(actor, customerId).flatMap(seen -> providers.connection(tenant, STRIPE)
                .flatMap(connection -> seen.providerCustomer().map(Mono::just)
                        .orElseGet(() -> createProviderCustomer(connection, seen.customer()))
                        .flatMap(reference -> atProvider.startSetup(connection.account(), ids.newId(), reference))
                        .map(setup -> new SetupStarted(STRIPE, setup.reference(), setup.clientSecret(),
                                connection.publicKey()))));
    }

    private Mono<String> createProviderCustomer(Connection connection, Customer customer) {
        TenantId tenant = customer.tenant();
        return atProvider.createCustomer(connection.account(), customer.id(), customer.email(), customer.name())
                // Under the customer's lock: a set-up racing this one waits, then finds the reference stored.
                .flatMap(reference -> unitOfWork.inTransaction(() -> customers.lockedForBilling(tenant, customer.id())
                        .then(providerCustomers.storeIfAbsent(tenant, customer.id(), STRIPE, reference,
                                clock.instant()))));
    }

    /** The customer's saved methods, newest first. */
    public Flux<CustomerPaymentMethod> list(Principal actor, UUID customerId) {
        return unitOfWork.inTransactionMany(() -> customers.accessible(actor, customerId)
                .thenMany(methods.live(actor.tenant(), customerId)));
    }

    /**
     * Reads the customer's cards from Stripe and brings the stored ones in line: new ones are stored (the newest
     * becomes the default when the customer has none), details are updated, and ones Stripe no longer has are removed.
     * Answers the customer's methods after it. A customer that never started a set-up has nothing at Stripe to read.
     */
    public Flux<CustomerPaymentMethod> sync(Principal actor, UUID customerId) {
        TenantId tenant = actor.tenant();
        return seen(actor, customerId).flatMapMany(seen -> seen.providerCustomer().isEmpty()
                ? list(actor, customerId)
                : providers.connection(tenant, STRIPE)
                        .flatMap(connection -> atProvider.list(connection.account(), seen.providerCustomer().get(), CARD)
                                .collectList())
                        .flatMapMany(listed -> unitOfWork.inTransactionMany(() -> customers
                                .lockedForBilling(actor, customerId)
                                .then(methods.live(tenant, customerId).collectList())
                                .flatMap(live -> apply(Actors.of(actor), tenant, customerId, PaymentMethodWallet.reconcile(tenant,
                                        customerId, STRIPE, live, listed, ids::newId, clock.instant())))
                                .thenMany(methods.live(tenant, customerId)))));
    }

    private Mono<Void> apply(Actor who, TenantId tenant, UUID customerId, Reconciliation change) {
        // Removals first: the default they clear makes room for the new one.
        return Flux.fromIterable(change.removed())
                .concatMap(removed -> save(removed)
                        .flatMap(saved -> recordRemoved(who, saved, removed.id().equals(change.previousDefault()
                                .orElse(null)), "provider")))
                .thenMany(Flux.fromIterable(change.changed()).concatMap(this::save))
                .thenMany(Flux.fromIterable(change.added()).concatMap(added -> methods.insert(added)
                        .flatMap(saved -> events.record(saved.tenant(), PaymentMethodSaved.of(saved))
                                .then(audit.record(saved.tenant(), who, "payment_method.saved", "payment_method",
                                        saved.id().toString(), Map.of(), describe(saved))))))
                .then(Mono.defer(() -> change.defaultChanged() && change.newDefault().isPresent()
                        ? methods.find(tenant, customerId, change.newDefault().get())
                                .flatMap(chosen -> recordDefaultChanged(who, chosen,
                                        change.previousDefault().orElse(null)))
                        : Mono.empty()))
                .then();
    }

    /** Off-session charges of the customer use this method from now on. */
    public Mono<CustomerPaymentMethod> setDefault(Principal actor, UUID customerId, UUID methodId) {
        TenantId tenant = actor.tenant();
        Actor who = Actors.of(actor);
        return unitOfWork.inTransaction(() -> customers.lockedForBilling(actor, customerId)
                .then(methods.find(tenant, customerId, methodId))
                .switchIfEmpty(Mono.error(() -> notFound(methodId)))
                .flatMap(method -> method.isDefault() ? Mono.just(method)
                        : methods.defaultOf(tenant, customerId).flatMap(previous -> save(previous.asDefault(false)))
                                .map(Optional::of).defaultIfEmpty(Optional.empty())
                                .flatMap(previous -> save(method.asDefault(true))
                                        .flatMap(saved -> recordDefaultChanged(who, saved,
                                                previous.map(CustomerPaymentMethod::id).orElse(null))))));
    }

    /**
     * Detaches the method at Stripe, then marks it removed; removing the default makes the newest remaining method the
     * default, or leaves the customer without one. A method removed meanwhile by another request is left as it is.
     */
    public Mono<Void> remove(Principal actor, UUID customerId, UUID methodId) {
        TenantId tenant = actor.tenant();
        Actor who = Actors.of(actor);
        return unitOfWork.inTransaction(() -> customers.accessible(actor, customerId)
                        .then(methods.find(tenant, customerId, methodId))
                        .switchIfEmpty(Mono.error(() -> notFound(methodId))))
                .flatMap(method -> providers.connection(tenant, method.provider())
                        .flatMap(connection -> atProvider.detach(connection.account(), method.reference())))
                .then(unitOfWork.inTransaction(() -> customers.lockedForBilling(actor, customerId)
                        .then(methods.find(tenant, customerId, methodId))
                        .flatMap(current -> removeInTransaction(who, current, "request"))))
                .then();
    }

    private Mono<CustomerPaymentMethod> removeInTransaction(Actor who, CustomerPaymentMethod method, String by) {
        return save(method.removedAt(clock.instant()))
                .flatMap(removed -> recordRemoved(who, removed, method.isDefault(), by)
                        .then(!method.isDefault() ? Mono.empty()
                                : methods.live(method.tenant(), method.customerId()).collectList()
                                        .flatMap(left -> Mono.justOrEmpty(PaymentMethodWallet.successor(left)))
                                        .flatMap(successor -> save(successor.asDefault(true)))
                                        .flatMap(promoted -> recordDefaultChanged(who, promoted, method.id())))
                        .thenReturn(removed));
    }

    /**
     * The customer's default method, for charging it off-session; empty when it has none. Runs in the caller's unit
     * of work when there is one (it joins the caller's transaction, it never opens a second), else in one of its own.
     */
    @Override
    public Mono<ChargeableMethod> defaultMethod(TenantId tenant, UUID customerId) {
        return TenantContext.within(tenant, unitOfWork.inTransaction(() -> methods.defaultOf(tenant, customerId)
                .flatMap(method -> providerCustomers.reference(tenant, customerId, method.provider())
                        .map(customer -> new ChargeableMethod(method.provider(), customer, method.reference())))));
    }

    /** The customer, if the actor may see it, and its Stripe customer if it has one; in a transaction of its own. */
    private Mono<Seen> seen(Principal actor, UUID customerId) {
        return unitOfWork.inTransaction(() -> customers.accessible(actor, customerId)
                .flatMap(customer -> providerCustomers.reference(actor.tenant(), customerId, STRIPE)
                        .map(Optional::of).defaultIfEmpty(Optional.empty())
                        .map(reference -> new Seen(customer, reference))));
    }

    /** Saved under the customer's lock, so the version read under it still holds. */
    private Mono<CustomerPaymentMethod> save(CustomerPaymentMethod method) {
        return methods.update(method, method.version())
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("payment method " + method.id()
                        + " changed under its customer's lock")));
    }

    private Mono<CustomerPaymentMethod> recordDefaultChanged(Actor who, CustomerPaymentMethod chosen, UUID previous) {
        Map<String, String> before = previous == null ? Map.of() : Map.of("default", previous.toString());
        return events.record(chosen.tenant(), new PaymentMethodDefaultChanged(chosen.id(), chosen.customerId(),
                        previous))
                .then(audit.record(chosen.tenant(), who, "payment_method.default_changed", "payment_method",
                        chosen.id().toString(), before, describe(chosen)))
                .thenReturn(chosen);
    }

    private Mono<Void> recordRemoved(Actor who, CustomerPaymentMethod removed, boolean wasDefault, String by) {
        Map<String, String> after = describe(removed);
        after.put("by", by);
        return events.record(removed.tenant(), new PaymentMethodRemoved(removed.id(), removed.customerId(),
                        removed.provider().wireName(), wasDefault, by))
                .then(audit.record(removed.tenant(), who, "payment_method.removed", "payment_method",
                        removed.id().toString(), Map.of(), after))
                .then();
    }

    private static Map<String, String> describe(CustomerPaymentMethod m) {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("customer", m.customerId().toString());
        summary.put("provider", m.provider().wireName());
        summary.put("reference", m.reference());
        summary.put("type", m.type());
        if (m.brand() != null) {
            summary.put("brand", m.brand());
        }
        if (m.last4() != null) {
            summary.put("last4", m.last4());
        }
        summary.put("default", String.valueOf(m.isDefault()));
        return summary;
    }

    private static DomainException notFound(UUID id) {
        return new DomainException(NOT_FOUND, "No payment method " + id + " exists.");
    }
}
