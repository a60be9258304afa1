package io.hostrail.payment.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.audit.model.AuditChain;
import io.hostrail.audit.model.AuditEntry;
import io.hostrail.audit.model.AuditQuery;
import io.hostrail.audit.model.AuditRecord;
import io.hostrail.audit.port.out.AuditLog;
import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.model.VatCheck;
import io.hostrail.customer.port.out.Customers;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.payment.model.CustomerPaymentMethod;
import io.hostrail.payment.model.GatewayAccount;
import io.hostrail.payment.model.GatewayErrors;
import io.hostrail.payment.model.Payment;
import io.hostrail.payment.model.PaymentMethodSetup;
import io.hostrail.payment.model.ProviderCredentials;
import io.hostrail.payment.model.SavedPaymentMethod;
import io.hostrail.payment.port.out.CustomerPaymentMethods;
import io.hostrail.payment.port.out.ProviderAccounts;
import io.hostrail.payment.port.out.ProviderCustomers;
import io.hostrail.payment.port.out.SavedPaymentMethods;
import io.hostrail.payment.model.ChargeableMethod;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.model.UuidV7Generator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.shared.secret.SecretBox;
import io.hostrail.shared.time.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Saving, choosing and removing a customer's cards, against in-memory ports and a scripted Stripe. */
class SavedPaymentMethodServiceTest {

    private static final TenantId TENANT = TenantId.of("0190a000-0000-7000-8000-0000000000aa");
    private static final UUID CUSTOMER = UUID.fromString("0190a000-0000-7000-8000-0000000000c1");
    private static final UUID OTHER_CUSTOMER = UUID.fromString("0190a000-0000-7000-8000-0000000000c2");
    private static final Principal STAFF = new Principal(TENANT, UUID.fromString("0190a000-0000-7000-8000-000000000001"),
            "ops@example.com", UserKind.STAFF, null, Set.of(), Set.of(), null);
    private static final Principal OTHER_CLIENT = new Principal(TENANT,
            UUID.fromString("0190a000-0000-7000-8000-000000000002"), "jo@example.com", UserKind.CLIENT, OTHER_CUSTOMER,
            Set.of(), Set.of(), null);

    private final SettableClock clock = SettableClock.at("2026-03-02T09:00:00Z");
    private final TrackingUnitOfWork unitOfWork = new TrackingUnitOfWork();
    private final RecordedEvents events = new RecordedEvents();
    private final InMemoryAuditLog auditLog = new InMemoryAuditLog();
    private final AuditTrail audit = new AuditTrail(auditLog, unitOfWork, clock);
    private final InMemoryMethods methods = new InMemoryMethods();
    private final InMemoryProviderCustomers providerCustomers = new InMemoryProviderCustomers();
    private final ScriptedStripe stripe = new ScriptedStripe();
    private final OneStripeAccount accounts = new OneStripeAccount();
    private final SavedPaymentMethodService service = new SavedPaymentMethodService(methods, providerCustomers, stripe,
            new PaymentProviderService(accounts, (provider, environment) -> null, new PlainBox(), unitOfWork, audit),
            new CustomerService(new TwoCustomers(), unitOfWork, events, audit, new UuidV7Generator(clock)), unitOfWork,
            events, audit, new UuidV7Generator(clock), clock);

    @Test
    @DisplayName("a set-up makes the Stripe customer once, outside any transaction, and gives the browser what it needs")
    void setupMakesTheStripeCustomerOnce() {
        StepVerifier.create(service.startSetup(STAFF, CUSTOMER))
                .assertNext(setup -> {
                    assertThat(setup.setupReference()).isEqualTo("seti_1");
                    assertThat(setup.clientSecret()).isEqualTo("seti_1_secret");
                    assertThat(setup.publishableKey()).isEqualTo("pk_test_hostrail");
                    assertThat(setup.toString()).doesNotContain("seti_1_secret");
                })
                .verifyComplete();
        StepVerifier.create(service.startSetup(STAFF, CUSTOMER).map(setup -> setup.setupReference()))
                .expectNext("seti_2").verifyComplete();

        assertThat(stripe.customersCreated).containsExactly(CUSTOMER);
        assertThat(stripe.calledInTransaction).as("Stripe called inside a transaction").containsOnly(false);
        assertThat(stripe.setupsFor).containsExactly("cus_" + CUSTOMER, "cus_" + CUSTOMER);
    }

    @Test
    @DisplayName("when two set-ups race, the Stripe customer stored first is the one both use")
    void racingSetups() {
        providerCustomers.beforeStoring = () -> providerCustomers.rows.putIfAbsent(CUSTOMER, "cus_first");
        StepVerifier.create(service.startSetup(STAFF, CUSTOMER)).expectNextCount(1).verifyComplete();
        assertThat(stripe.setupsFor).containsExactly("cus_first");
    }

    @Test
    @DisplayName("Stripe unreachable: the set-up fails with the port's code and nothing is stored")
    void stripeDown() {
        stripe.failing = true;
        StepVerifier.create(service.startSetup(STAFF, CUSTOMER))
                .expectErrorSatisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(GatewayErrors.UNAVAILABLE))
                .verify();
        assertThat(providerCustomers.rows).isEmpty();
    }

    @Test
    @DisplayName("a sync stores the cards, the first as default; setting another default moves it, with an event")
    void syncAndSetDefault() {
        service.startSetup(STAFF, CUSTOMER).block();
        stripe.attach("pm_visa", "4242");
        List<CustomerPaymentMethod> first = service.sync(STAFF, CUSTOMER).collectList().block();
        assertThat(first).singleElement().satisfies(m -> assertThat(m.isDefault()).isTrue());

        stripe.attach("pm_mc", "4444");
        List<CustomerPaymentMethod> both = service.sync(STAFF, CUSTOMER).collectList().block();
        assertThat(both).extracting(CustomerPaymentMethod::reference).containsExactly("pm_mc", "pm_visa");
        assertThat(both).filteredOn(CustomerPaymentMethod::isDefault).extracting(CustomerPaymentMethod::reference)
                .containsExactly("pm_visa");

        UUID mastercard = both.getFirst().id();
        StepVerifier.create(service.setDefault(STAFF, CUSTOMER, mastercard))
                .assertNext(m -> assertThat(m.isDefault()).isTrue()).verifyComplete();
        StepVerifier.create(service.defaultMethod(TENANT, CUSTOMER))
                .expectNext(new ChargeableMethod(Payment.Provider.STRIPE, "cus_" + CUSTOMER, "pm_mc")).verifyComplete();
        assertThat(methods.defaults(CUSTOMER)).isEqualTo(1);
        assertThat(events.types).containsSubsequence("payment_method.saved", "payment_method.default_changed",
                "payment_method.saved", "payment_method.default_changed");
        assertThat(auditLog.actions()).contains("payment_method.default_changed");
    }

    @Test
    @DisplayName("removing the default detaches it at Stripe and promotes the newest remaining card; the last leaves none")
    void removingTheDefaultPromotesTheNewest() {
        service.startSetup(STAFF, CUSTOMER).block();
        stripe.attach("pm_1", "1111");
        service.sync(STAFF, CUSTOMER).blockLast();
        stripe.attach("pm_2", "2222");
        stripe.attach("pm_3", "3333");
        List<CustomerPaymentMethod> all = service.sync(STAFF, CUSTOMER).collectList().block();
        UUID pm1 = byReference(all, "pm_1");

        StepVerifier.create(service.remove(STAFF, CUSTOMER, pm1)).verifyComplete();
        assertThat(stripe.detached).containsExactly("pm_1");
        StepVerifier.create(service.defaultMethod(TENANT, CUSTOMER).map(ChargeableMethod::paymentMethodReference))
                .as("the newest remaining").expectNext("pm_3").verifyComplete();

        StepVerifier.create(service.remove(STAFF, CUSTOMER, byReference(all, "pm_2"))).verifyComplete();
        StepVerifier.create(service.defaultMethod(TENANT, CUSTOMER).map(ChargeableMethod::paymentMethodReference))
                .as("removing another keeps the default").expectNext("pm_3").verifyComplete();

        StepVerifier.create(service.remove(STAFF, CUSTOMER, byReference(all, "pm_3"))).verifyComplete();
        StepVerifier.create(service.defaultMethod(TENANT, CUSTOMER)).as("none left").verifyComplete();
        StepVerifier.create(service.list(STAFF, CUSTOMER)).verifyComplete();
        assertThat(stripe.calledInTransaction).containsOnly(false);
        assertThat(auditLog.actions()).filteredOn("payment_method.removed"::equals).hasSize(3);
    }

    @Test
    @DisplayName("a card Stripe could not detach stays, as it was")
    void detachFails() {
        service.startSetup(STAFF, CUSTOMER).block();
        stripe.attach("pm_1", "1111");
        UUID id = service.sync(STAFF, CUSTOMER).blockLast().id();
        stripe.failing = true;
        StepVerifier.create(service.remove(STAFF, CUSTOMER, id))
                .expectErrorSatisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(GatewayErrors.UNAVAILABLE))
                .verify();
        StepVerifier.create(service.defaultMethod(TENANT, CUSTOMER).map(ChargeableMethod::paymentMethodReference))
                .expectNext("pm_1").verifyComplete();
    }

    @Test
    @DisplayName("another customer's client user, and unknown ids, get not found")
    void scoping() {
        service.startSetup(STAFF, CUSTOMER).block();
        stripe.attach("pm_1", "1111");
        UUID id = service.sync(STAFF, CUSTOMER).blockLast().id();
        StepVerifier.create(service.list(OTHER_CLIENT, CUSTOMER))
                .expectErrorSatisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(CustomerService.NOT_FOUND))
                .verify();
        StepVerifier.create(service.setDefault(OTHER_CLIENT, CUSTOMER, id))
                .expectErrorSatisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(CustomerService.NOT_FOUND))
                .verify();
        StepVerifier.create(service.remove(STAFF, OTHER_CUSTOMER, id))
                .expectErrorSatisfies(e -> assertThat(((DomainException) e).code())
                        .isEqualTo(SavedPaymentMethodService.NOT_FOUND))
                .verify();
        assertThat(stripe.detached).isEmpty();
    }

    private static UUID byReference(List<CustomerPaymentMethod> methods, String reference) {
        return methods.stream().filter(m -> m.reference().equals(reference)).findFirst().orElseThrow().id();
    }

    /** A transaction is a mark in the Reactor context, where the real one lives too; inner ones join it. */
    private static final class TrackingUnitOfWork implements UnitOfWork {

        static final String TRANSACTION = "transaction";

        @Override
        public <T> Mono<T> inTransaction(Supplier<Mono<T>> work) {
            return Mono.defer(work).contextWrite(context -> context.put(TRANSACTION, true));
        }

        @Override
        public <T> Flux<T> inTransactionMany(Supplier<Flux<T>> work) {
            return Flux.defer(work).contextWrite(context -> context.put(TRANSACTION, true));
        }
    }

    private static final class RecordedEvents implements DomainEvents {

        final List<String> types = new CopyOnWriteArrayList<>();

        @Override
        public Mono<EventEnvelope> record(TenantId tenant, DomainEvent event) {
            return Mono.deferContextual(context -> {
                if (!context.hasKey(TrackingUnitOfWork.TRANSACTION)) {
                    return Mono.error(new IllegalStateException("an event outside a transaction"));
                }
                types.add(event.type());
                return Mono.just(new EventEnvelope(UUID.randomUUID(), event.type(), tenant.value(),
                        event.aggregateId(), Instant.EPOCH, "test", event.version(), Map.of()));
            });
        }

        @Override
        public Mono<Void> recordAll(TenantId tenant, List<? extends DomainEvent> all) {
            return Flux.fromIterable(all).concatMap(event -> record(tenant, event)).then();
        }
    }

    /** Stripe as the port sees it: customers keyed by ours, cards attached by the "browser", detach. */
    private static final class ScriptedStripe implements SavedPaymentMethods {

        final List<UUID> customersCreated = new CopyOnWriteArrayList<>();
        final List<String> setupsFor = new CopyOnWriteArrayList<>();
        final List<String> detached = new CopyOnWriteArrayList<>();
        final List<Boolean> calledInTransaction = new CopyOnWriteArrayList<>();
        private final List<SavedPaymentMethod> attached = new CopyOnWriteArrayList<>();
        boolean failing;

        void attach(String reference, String last4) {
            attached.addFirst(new SavedPaymentMethod(reference, "card", "visa", last4, 8, 2030));
        }

        private <T> Mono<T> call(Supplier<T> answer) {
            return Mono.deferContextual(context -> {
                calledInTransaction.add(context.hasKey(TrackingUnitOfWork.TRANSACTION));
                return failing ? Mono.error(new DomainException(GatewayErrors.UNAVAILABLE, "Stripe gave no answer"))
                        : Mono.justOrEmpty(answer.get());
            });
        }

        @Override
        public Mono<String> createCustomer(GatewayAccount account, UUID customerId, String email, String name) {
            return call(() -> {
                customersCreated.add(customerId);
                return "cus_" + customerId;
            });
        }

        @Override
        public Mono<PaymentMethodSetup> startSetup(GatewayAccount account, UUID setupId, String customerReference) {
            return call(() -> {
                setupsFor.add(customerReference);
                return new PaymentMethodSetup("seti_" + setupsFor.size(), "seti_" + setupsFor.size() + "_secret");
            });
        }

        @Override
        public Flux<SavedPaymentMethod> list(GatewayAccount account, String customerReference, String type) {
            return call(() -> List.copyOf(attached)).flatMapMany(Flux::fromIterable);
        }

        @Override
        public Mono<Void> detach(GatewayAccount account, String paymentMethodReference) {
            return call(() -> {
                detached.add(paymentMethodReference);
                attached.removeIf(m -> m.reference().equals(paymentMethodReference));
                return null;
            }).then();
        }
    }

    /** Saved methods as the table keeps them: one default per customer, removed ones never listed. */
    private static final class InMemoryMethods implements CustomerPaymentMethods {

        private final Map<UUID, CustomerPaymentMethod> rows = new ConcurrentHashMap<>();

        long defaults(UUID customerId) {
            return rows.values().stream().filter(m -> m.customerId().equals(customerId) && m.isDefault()).count();
        }

        @Override
        public Flux<CustomerPaymentMethod> live(TenantId tenant, UUID customerId) {
            return Flux.fromStream(() -> rows.values().stream()
                    .filter(m -> m.customerId().equals(customerId) && !m.removed())
                    .sorted(Comparator.comparing(CustomerPaymentMethod::id).reversed()));
        }

        @Override
        public Mono<CustomerPaymentMethod> find(TenantId tenant, UUID customerId, UUID id) {
            return Mono.justOrEmpty(rows.get(id)).filter(m -> m.customerId().equals(customerId) && !m.removed());
        }

        @Override
        public Mono<CustomerPaymentMethod> defaultOf(TenantId tenant, UUID customerId) {
            return live(tenant, customerId).filter(CustomerPaymentMethod::isDefault).next();
        }

        @Override
        public Mono<CustomerPaymentMethod> insert(CustomerPaymentMethod method) {
            if (rows.values().stream().anyMatch(m -> m.reference().equals(method.reference()))) {
                return Mono.empty();
            }
            checkOneDefault(method);
            rows.put(method.id(), method);
            return Mono.just(method);
        }

        @Override
        public Mono<CustomerPaymentMethod> update(CustomerPaymentMethod method, long expectedVersion) {
            CustomerPaymentMethod current = rows.get(method.id());
            if (current == null || current.version() != expectedVersion) {
                return Mono.empty();
            }
            checkOneDefault(method);
            CustomerPaymentMethod saved = method.withVersion(expectedVersion + 1);
            rows.put(saved.id(), saved);
            return Mono.just(saved);
        }

        /** The partial unique index. */
        private void checkOneDefault(CustomerPaymentMethod method) {
            if (method.isDefault() && rows.values().stream().anyMatch(m -> m.isDefault()
                    && m.customerId().equals(method.customerId()) && !m.id().equals(method.id()))) {
                throw new IllegalStateException("a second default for customer " + method.customerId());
            }
        }
    }

    private static final class InMemoryProviderCustomers implements ProviderCustomers {

        final Map<UUID, String> rows = new ConcurrentHashMap<>();
        Runnable beforeStoring = () -> { };

        @Override
        public Mono<String> reference(TenantId tenant, UUID customerId, Payment.Provider provider) {
            return Mono.justOrEmpty(rows.get(customerId));
        }

        @Override
        public Mono<String> storeIfAbsent(TenantId tenant, UUID customerId, Payment.Provider provider,
                String reference, Instant createdAt) {
            return Mono.fromSupplier(() -> {
                beforeStoring.run();
                return rows.computeIfAbsent(customerId, unused -> reference);
            });
        }
    }

    private static final class OneStripeAccount implements ProviderAccounts {

        @Override
        public Mono<List<String>> sealedWebhookSecrets(TenantId tenant, Payment.Provider provider) {
            return Mono.just(List.of());
        }

        @Override
        public Mono<Void> saveWebhookSecrets(TenantId tenant, Payment.Provider provider, List<String> sealed) {
            return Mono.empty();
        }

        @Override
        public Mono<ProviderCredentials> credentials(TenantId tenant, Payment.Provider provider) {
            return provider == Payment.Provider.STRIPE ? Mono.just(new ProviderCredentials(provider,
                    ProviderCredentials.Environment.TEST, "pk_test_hostrail", "sk_test_hostrail", null)) : Mono.empty();
        }

        @Override
        public Mono<Void> saveCredentials(TenantId tenant, ProviderCredentials credentials) {
            return Mono.empty();
        }
    }

    private static final class PlainBox implements SecretBox {

        @Override
        public String seal(String plaintext, String context) {
            return plaintext;
        }

        @Override
        public String open(String sealed, String context) {
            return sealed;
        }

        @Override
        public boolean isSealedWithActiveKey(String sealed) {
            return true;
        }

        @Override
        public String reseal(String sealed, String context) {
            return sealed;
        }

        @Override
        public String activeKeyId() {
            return "plain";
        }
    }

    private static final class TwoCustomers implements Customers {

        private final Map<UUID, Customer> rows = Map.of(CUSTOMER, customer(CUSTOMER), OTHER_CUSTOMER,
                customer(OTHER_CUSTOMER));

        private static Customer customer(UUID id) {
            return new Customer(id, TENANT, "Ada " + id, "ada@example.com", null, null, null, Currency.getInstance("EUR"),
                    Locale.ENGLISH, Customer.Status.ACTIVE, null, List.of(), null, 0);
        }

        @Override
        public Mono<Customer> create(Customer customer) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<Customer> findById(TenantId tenant, UUID id) {
            return Mono.justOrEmpty(rows.get(id)).filter(c -> c.tenant().equals(tenant));
        }

        @Override
        public Mono<Customer> findForBilling(TenantId tenant, UUID id) {
            return findById(tenant, id);
        }

        @Override
        public Flux<Customer> findForBilling(TenantId tenant, Collection<UUID> ids) {
            return Flux.fromIterable(ids).concatMap(id -> findById(tenant, id));
        }

        @Override
        public Flux<Customer> list(TenantId tenant, Customer.Status status, String email, UUID afterId, int limit) {
            return Flux.fromIterable(rows.values());
        }

        @Override
        public Mono<Customer> update(Customer customer, long expectedVersion) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<Customer> recordVatCheck(TenantId tenant, UUID id, TaxId checked, VatCheck check) {
            return Mono.error(new UnsupportedOperationException());
        }
    }

    private static final class InMemoryAuditLog implements AuditLog {

        private final List<AuditRecord> records = new ArrayList<>();

        List<String> actions() {
            return records.stream().map(r -> r.entry().action()).toList();
        }

        @Override
        public synchronized Mono<AuditRecord> append(AuditEntry entry) {
            return Mono.fromSupplier(() -> {
                AuditRecord record = AuditChain.append(UUID.randomUUID(), records.isEmpty() ? null : records.getLast(),
                        entry);
                records.add(record);
                return record;
            });
        }

        @Override
        public Flux<AuditRecord> read(UUID tenantId, long fromSequence, int limit) {
            return Flux.fromIterable(records);
        }

        @Override
        public Mono<ChainHead> head(UUID tenantId) {
            return Mono.empty();
        }

        @Override
        public Flux<AuditRecord> search(AuditQuery query) {
            return Flux.fromIterable(records);
        }
    }
}
