package io.hostrail.customer.service;

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
import io.hostrail.customer.model.VatCheckOutcome;
import io.hostrail.customer.model.VatCheckOutcome.Invalid;
import io.hostrail.customer.model.VatCheckOutcome.Unavailable;
import io.hostrail.customer.model.VatCheckOutcome.Valid;
import io.hostrail.customer.port.out.Customers;
import io.hostrail.customer.port.out.VatRegistry;
import io.hostrail.customer.service.CustomerService.AddressDraft;
import io.hostrail.customer.service.CustomerService.CustomerDraft;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.event.DomainEvent;
import io.hostrail.shared.event.EventEnvelope;
import io.hostrail.shared.model.TenantId;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import io.hostrail.shared.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Checking customers' EU VAT numbers with VIES: when, outside which transactions, and what is kept. */
class CustomerVatCheckTest {

    private static final TenantId TENANT = new TenantId(UUID.fromString("01959a3c-2f4d-7000-8000-0000000000aa"));
    private static final Principal STAFF = new Principal(TENANT, UUID.fromString("01959a3c-2f4d-7000-8000-000000000001"),
            "ops@example.com", UserKind.STAFF, null, Set.of(), Set.of(), null);
    private static final Instant ANSWERED = Instant.parse("2026-03-02T08:00:00Z");

    private final SettableClock clock = SettableClock.at("2026-03-02T09:00:00Z");
    private final TrackingUnitOfWork unitOfWork = new TrackingUnitOfWork();
    private final InMemoryCustomers customers = new InMemoryCustomers();
    private final InMemoryAuditLog auditLog = new InMemoryAuditLog();
    private final ScriptedRegistry registry = new ScriptedRegistry();
    private final CustomerService service = new CustomerService(customers, unitOfWork, new OutboxInTransaction(),
            new AuditTrail(auditLog, unitOfWork, clock), UUID::randomUUID, registry, clock);

    @Test
    @DisplayName("a new customer is saved first, its number checked outside the transaction, the answer recorded after")
    void checkedAfterSaving() {
        registry.answers(new Valid("ACME SARL", "1 RUE DU TEST", ANSWERED));
        StepVerifier.create(service.create(STAFF, draft("FR40303265045")))
                .assertNext(created -> assertThat(created.vatCheck())
                        .isEqualTo(new VatCheck(VatCheck.Status.VALID, ANSWERED, "ACME SARL")))
                .verifyComplete();
        assertThat(registry.asked).containsExactly(new TaxId("FR40303265045"));
        assertThat(registry.askedInTransaction).as("asked inside a transaction").containsOnly(false);
        assertThat(unitOfWork.transactions).as("save, then record the answer").isEqualTo(2);
        assertThat(customers.stored()).singleElement().extracting(Customer::vatCheck)
                .isEqualTo(new VatCheck(VatCheck.Status.VALID, ANSWERED, "ACME SARL"));
        assertThat(auditLog.actions()).containsExactly("customer.created", "customer.vat_checked");
    }

    @Test
    @DisplayName("a register that cannot answer, or fails, leaves the customer saved and its check unavailable")
    void unavailableRegister() {
        registry.answers(new Unavailable("MS_UNAVAILABLE"));
        StepVerifier.create(service.create(STAFF, draft("FR40303265045")))
                .assertNext(created -> assertThat(created.vatCheck())
                        .isEqualTo(new VatCheck(VatCheck.Status.UNAVAILABLE, clock.instant(), null)))
                .verifyComplete();

        registry.fails();
        StepVerifier.create(service.create(STAFF, draft("ATU12345678")))
                .assertNext(created -> assertThat(created.vatCheck().status()).isEqualTo(VatCheck.Status.UNAVAILABLE))
                .verifyComplete();
        assertThat(customers.stored()).hasSize(2);
    }

    @Test
    @DisplayName("an invalid number is recorded as such and the customer is kept")
    void invalidNumber() {
        registry.answers(new Invalid(ANSWERED));
        StepVerifier.create(service.create(STAFF, draft("DE000000000")))
                .assertNext(created -> assertThat(created.vatCheck())
                        .isEqualTo(new VatCheck(VatCheck.Status.INVALID, ANSWERED, null)))
                .verifyComplete();
    }

    @Test
    @DisplayName("numbers that are not EU VAT numbers, and customers without one, are not checked")
    void onlyEuVatNumbers() {
        StepVerifier.create(service.create(STAFF, draft("EIN123456"))).assertNext(c -> assertThat(c.vatCheck()).isNull())
                .verifyComplete();
        StepVerifier.create(service.create(STAFF, draft(null))).assertNext(c -> assertThat(c.vatCheck()).isNull())
                .verifyComplete();
        assertThat(registry.asked).isEmpty();
    }

    @Test
    @DisplayName("with checks off nothing is asked, and a re-check is refused")
    void checksOff() {
        CustomerService unchecked = new CustomerService(customers, unitOfWork, new OutboxInTransaction(),
                new AuditTrail(auditLog, unitOfWork, clock), UUID::randomUUID);
        Customer created = unchecked.create(STAFF, draft("FR40303265045")).block(Duration.ofSeconds(5));
        assertThat(created.vatCheck()).isNull();
        StepVerifier.create(unchecked.checkVatNumber(STAFF, created.id()))
                .expectErrorSatisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(CustomerService.VAT_CHECKS_OFF))
                .verify();
        assertThat(registry.asked).isEmpty();
    }

    @Test
    @DisplayName("an update keeps the check of an unchanged number through an outage, and checks a new number afresh")
    void updates() {
        registry.answers(new Valid("ACME SARL", null, ANSWERED));
        Customer created = service.create(STAFF, draft("FR40303265045")).block(Duration.ofSeconds(5));

        registry.answers(new Unavailable("MS_UNAVAILABLE"));
        StepVerifier.create(service.update(STAFF, created.id(), draft("FR40303265045"), 0))
                .assertNext(updated -> assertThat(updated.vatCheck())
                        .isEqualTo(new VatCheck(VatCheck.Status.VALID, ANSWERED, "ACME SARL")))
                .verifyComplete();

        registry.answers(new Unavailable("MS_UNAVAILABLE"));
        StepVerifier.create(service.update(STAFF, created.id(), draft("FR83404833048"), 1))
                .assertNext(updated -> assertThat(updated.vatCheck())
                        .isEqualTo(new VatCheck(VatCheck.Status.UNAVAILABLE, clock.instant(), null)))
                .verifyComplete();
        assertThat(registry.askedInTransaction).containsOnly(false);
    }

    @Test
    @DisplayName("a re-check answers the register's outcome and records it; it needs an EU VAT number")
    void recheck() {
        registry.answers(new Unavailable("MS_UNAVAILABLE"));
        Customer created = service.create(STAFF, draft("FR40303265045")).block(Duration.ofSeconds(5));
        clock.advance(Duration.ofHours(1));

        registry.answers(new Valid("ACME SARL", "1 RUE DU TEST", ANSWERED.plus(Duration.ofHours(2))));
        StepVerifier.create(service.checkVatNumber(STAFF, created.id()))
                .assertNext(attempt -> {
                    assertThat(attempt.outcome()).isInstanceOf(Valid.class);
                    assertThat(attempt.attemptedAt()).isEqualTo(clock.instant());
                    assertThat(attempt.customer().vatCheck().status()).isEqualTo(VatCheck.Status.VALID);
                })
                .verifyComplete();

        Customer consumer = service.create(STAFF, draft(null)).block(Duration.ofSeconds(5));
        StepVerifier.create(service.checkVatNumber(STAFF, consumer.id()))
                .expectErrorSatisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(CustomerService.NO_EU_VAT_NUMBER))
                .verify();
        StepVerifier.create(service.checkVatNumber(STAFF, UUID.randomUUID()))
                .expectErrorSatisfies(e -> assertThat(((DomainException) e).code()).isEqualTo(CustomerService.NOT_FOUND))
                .verify();
    }

    @Test
    @DisplayName("an answer about a number the customer no longer has is not recorded")
    void numberChangedMeanwhile() {
        registry.answers(new Valid("ACME SARL", null, ANSWERED));
        Customer created = service.create(STAFF, draft("FR40303265045")).block(Duration.ofSeconds(5));
        registry.beforeAnswering(() -> customers.changeTaxId(created.id(), new TaxId("FR83404833048")));
        registry.answers(new Invalid(ANSWERED));
        StepVerifier.create(service.checkVatNumber(STAFF, created.id()))
                .assertNext(attempt -> assertThat(attempt.customer().vatCheck()).as("cleared by the change, not replaced")
                        .isNull())
                .verifyComplete();
    }

    private static CustomerDraft draft(String taxId) {
        return new CustomerDraft("Acme SARL", "accounts@acme.example", "Acme SARL", taxId, null, "EUR", "fr", null,
                new AddressDraft("1 rue du Test", null, "Paris", null, "75001", "FR"), List.of());
    }

    /** A transaction is a mark in the Reactor context, where the real one lives too. */
    private static final class TrackingUnitOfWork implements UnitOfWork {

        static final String TRANSACTION = "transaction";
        int transactions;

        @Override
        public <T> Mono<T> inTransaction(Supplier<Mono<T>> work) {
            return Mono.defer(() -> {
                transactions++;
                return work.get();
            }).contextWrite(context -> context.put(TRANSACTION, true));
        }

        @Override
        public <T> Flux<T> inTransactionMany(Supplier<Flux<T>> work) {
            return Flux.defer(work).contextWrite(context -> context.put(TRANSACTION, true));
        }
    }

    private static final class ScriptedRegistry implements VatRegistry {

        final List<TaxId> asked = new ArrayList<>();
        final List<Boolean> askedInTransaction = new ArrayList<>();
        private final Queue<VatCheckOutcome> outcomes = new ConcurrentLinkedQueue<>();
        private boolean failing;
        private Runnable beforeAnswering = () -> { };

        void answers(VatCheckOutcome outcome) {
            failing = false;
            outcomes.add(outcome);
        }

        void fails() {
            failing = true;
        }

        void beforeAnswering(Runnable action) {
            beforeAnswering = action;
        }

        @Override
        public Mono<VatCheckOutcome> check(TaxId vatNumber) {
            return Mono.deferContextual(context -> {
                asked.add(vatNumber);
                askedInTransaction.add(context.hasKey(TrackingUnitOfWork.TRANSACTION));
                beforeAnswering.run();
                return failing ? Mono.error(new IllegalStateException("connection reset"))
                        : Mono.justOrEmpty(outcomes.poll());
            });
        }
    }

    private static final class OutboxInTransaction implements DomainEvents {

        @Override
        public Mono<Void> recordAll(TenantId tenant, java.util.List<? extends DomainEvent> events) {
            return reactor.core.publisher.Flux.fromIterable(events).concatMap(event -> record(tenant, event)).then();
        }

        @Override
        public Mono<EventEnvelope> record(TenantId tenant, DomainEvent event) {
            return Mono.deferContextual(context -> context.hasKey(TrackingUnitOfWork.TRANSACTION)
                    ? Mono.just(new EventEnvelope(UUID.randomUUID(), event.type(), tenant.value(), event.aggregateId(),
                            Instant.EPOCH, "test", event.version(), Map.of()))
                    : Mono.error(new IllegalStateException("an event outside a transaction")));
        }
    }

    /** Customers as the R2DBC adapter keeps them: a check belongs to one number, and recording it is no edit. */
    private static final class InMemoryCustomers implements Customers {

        private final Map<UUID, Customer> rows = new ConcurrentHashMap<>();

        List<Customer> stored() {
            return rows.values().stream().sorted(Comparator.comparing(Customer::id)).toList();
        }

        void changeTaxId(UUID id, TaxId taxId) {
            Customer c = rows.get(id);
            rows.put(id, new Customer(c.id(), c.tenant(), c.name(), c.email(), c.company(), taxId, c.taxExemption(),
                    c.currency(), c.language(), c.status(), c.billingAddress(), c.contacts(), null, c.version() + 1));
        }

        @Override
        public Mono<Customer> create(Customer customer) {
            rows.put(customer.id(), customer);
            return Mono.just(customer);
        }

        @Override
        public Mono<Customer> findById(TenantId tenant, UUID id) {
            return Mono.justOrEmpty(rows.get(id)).filter(c -> c.tenant().equals(tenant));
        }

        @Override
        public reactor.core.publisher.Flux<Customer> findForBilling(TenantId tenant, java.util.Collection<UUID> ids) {
            return reactor.core.publisher.Flux.fromIterable(ids).sort().concatMap(id -> findForBilling(tenant, id));
        }

        @Override
        public Mono<Customer> findForBilling(TenantId tenant, UUID id) {
            return findById(tenant, id);
        }

        @Override
        public Flux<Customer> list(TenantId tenant, Customer.Status status, String email, UUID afterId, int limit) {
            return Flux.fromIterable(stored()).filter(c -> c.tenant().equals(tenant)).take(limit);
        }

        @Override
        public Mono<Customer> update(Customer customer, long expectedVersion) {
            Customer current = rows.get(customer.id());
            if (current == null || current.version() != expectedVersion) {
                return Mono.empty();
            }
            VatCheck kept = Objects.equals(current.taxId(), customer.taxId()) ? current.vatCheck() : null;
            Customer updated = new Customer(customer.id(), customer.tenant(), customer.name(), customer.email(),
                    customer.company(), customer.taxId(), customer.taxExemption(), customer.currency(), customer.language(),
                    customer.status(), customer.billingAddress(), customer.contacts(), kept, expectedVersion + 1);
            rows.put(updated.id(), updated);
            return Mono.just(updated);
        }

        @Override
        public Mono<Customer> recordVatCheck(TenantId tenant, UUID id, TaxId checked, VatCheck check) {
            return findById(tenant, id).filter(c -> checked.equals(c.taxId())).map(c -> {
                Customer recorded = c.withVatCheck(check);
                rows.put(id, recorded);
                return recorded;
            });
        }
    }

    private static final class InMemoryAuditLog implements AuditLog {

        private final List<AuditRecord> records = new ArrayList<>();

        List<String> actions() {
            return records.stream().map(r -> r.entry().action()).toList();
        }

        @Override
        public Mono<AuditRecord> append(AuditEntry entry) {
            return Mono.fromSupplier(() -> {
                AuditRecord record = AuditChain.append(UUID.randomUUID(), records.isEmpty() ? null : records.getLast(), entry);
                records.add(record);
                return record;
            });
        }

        @Override
        public Flux<AuditRecord> read(UUID tenantId, long fromSequence, int limit) {
            return Flux.fromIterable(records).skip(fromSequence - 1).take(limit);
        }

        @Override
        public Mono<ChainHead> head(UUID tenantId) {
            return records.isEmpty() ? Mono.empty()
                    : Mono.just(new ChainHead(records.getLast().sequence(), records.getLast().hash()));
        }

        @Override
        public Flux<AuditRecord> search(AuditQuery query) {
            return Flux.fromIterable(records);
        }
    }
}
