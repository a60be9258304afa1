package io.hostrail.customer.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.model.Address;
import io.hostrail.customer.model.Contact;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.model.CustomerEvents.CustomerCreated;
import io.hostrail.customer.model.CustomerEvents.CustomerUpdated;
import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.model.VatCheck;
import io.hostrail.customer.model.VatCheckOutcome;
import io.hostrail.customer.port.out.Customers;
import io.hostrail.customer.port.out.VatRegistry;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.identity.service.Actors;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Customer accounts. Staff see and change their tenant's customers; a client user sees only the customer
 * it belongs to, and another customer's id is simply not found.
 */
public final class CustomerService {

    public static final ErrorCode NOT_FOUND = ErrorCode.notFound("customer.not_found");
    public static final ErrorCode INVALID = ErrorCode.validation("customer.invalid");
    public static final ErrorCode STALE = ErrorCode.conflict("version.stale");
    public static final ErrorCode NO_EU_VAT_NUMBER = ErrorCode.rejected("customer.no_eu_vat_number");
    public static final ErrorCode VAT_CHECKS_OFF = ErrorCode.rejected("customer.vat_checks_off");

    public record AddressDraft(String line1, String line2, String city, String region, String postalCode, String country) {
    }

    public record ContactDraft(String name, String email, String phone, String role) {
    }

    public record CustomerDraft(String name, String email, String company, String taxId, String taxExemption,
            String currency, String language, String status, AddressDraft billingAddress, List<ContactDraft> contacts) {
    }

    private final Customers customers;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;
    /** Null when VAT numbers are not checked with VIES. */
    private final VatRegistry vatRegistry;
    private final Clock clock;

    /** The answer of one check of a customer's VAT number, when it was asked for, and the customer afterwards. */
    public record VatCheckAttempt(VatCheckOutcome outcome, Instant attemptedAt, Customer customer) {
    }

    public CustomerService(Customers customers, UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids) {
        this(customers, unitOfWork, events, audit, ids, null, null);
    }

    /**
     * With a {@code vatRegistry}, every EU VAT number a customer is created or updated with is checked with it, after
     * the customer is saved and outside any transaction, and the outcome is recorded on the customer. Without one
     * (null), nothing is checked. So that the check stays outside, {@link #create} and {@link #update} are not to be
     * called inside a unit of work of the caller's.
     */
    public CustomerService(Customers customers, UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids,
            VatRegistry vatRegistry, Clock clock) {
        this.customers = customers;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
        this.vatRegistry = vatRegistry;
        this.clock = vatRegistry == null ? clock : Objects.requireNonNull(clock, "clock");
    }

    public Mono<Customer> create(Principal actor, CustomerDraft draft) {
        Customer customer;
        try {
            customer = validated(ids.newId(), actor, draft, Customer.Status.ACTIVE, 0);
        } catch (DomainException e) {
            return Mono.error(e);
        }
        return unitOfWork.inTransaction(() -> customers.create(customer)
                .flatMap(created -> events.record(actor.tenant(), new CustomerCreated(created.id(), created.name(),
                                created.email(), created.currency().getCurrencyCode()))
                        .then(audit.record(actor.tenant(), Actors.of(actor), "customer.created", "customer",
                                created.id().toString(), Map.of(), Map.of("name", created.name(), "email", created.email())))
                        .thenReturn(created)))
                .flatMap(created -> withVatNumberChecked(actor, created));
    }

    public Mono<Customer> get(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> accessible(actor, id));
    }

    /** The customer if the principal may see it, else {@code customer.not_found}; joins the caller's unit of work. */
    public Mono<Customer> accessible(Principal actor, UUID id) {
        if (!mayAccess(actor, id)) {
            return Mono.error(notFound(id));
        }
        return customers.findById(actor.tenant(), id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** {@link #accessible}, and locked for moving money until the caller's transaction ends. */
    public Mono<Customer> lockedForBilling(Principal actor, UUID id) {
        if (!mayAccess(actor, id)) {
            return Mono.error(notFound(id));
        }
        return lockedForBilling(actor.tenant(), id);
    }

    /** The customer, locked for moving money until the caller's transaction ends; for work no user asked for. */
    public Mono<Customer> lockedForBilling(io.hostrail.shared.model.TenantId tenant, UUID id) {
        return customers.findForBilling(tenant, id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /**
     * The customers, locked for moving money as {@link #lockedForBilling(io.hostrail.shared.model.TenantId, UUID)}
     * does, in id order; for batches. Ids of no customer are left out.
     */
    public Flux<Customer> lockedForBilling(io.hostrail.shared.model.TenantId tenant, Collection<UUID> ids) {
        return ids.isEmpty() ? Flux.empty() : customers.findForBilling(tenant, ids);
    }

    /** Staff: the tenant's customers, filtered; a client user: its own customer only. */
    public Flux<Customer> list(Principal actor, String status, String email, UUID afterId, int limit) {
        if (actor.kind() == UserKind.CLIENT) {
            return afterId != null ? Flux.empty() : get(actor, actor.customerId()).flux();
        }
        Customer.Status wanted;
        try {
            wanted = status == null ? null : Customer.Status.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Flux.error(new DomainException(INVALID, "Unknown status '" + status + "'.",
                    List.of(new FieldViolation("status", "must be one of active, suspended, closed"))));
        }
        return unitOfWork.inTransactionMany(() -> customers.list(actor.tenant(), wanted,
                email == null ? null : email.strip().toLowerCase(Locale.ROOT), afterId, limit));
    }

    public Mono<Customer> update(Principal actor, UUID id, CustomerDraft draft, long expectedVersion) {
        return unitOfWork.inTransaction(() -> customers.findById(actor.tenant(), id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(current -> {
                    Customer changed;
                    try {
                        changed = validated(id, actor, draft, draft.status() == null ? current.status() : status(draft.status()),
                                current.version());
                    } catch (DomainException e) {
                        return Mono.error(e);
                    }
                    if (Objects.equals(changed.taxId(), current.taxId())) {
                        changed = changed.withVatCheck(current.vatCheck());
                    }
                    return customers.update(changed, expectedVersion)
                            .switchIfEmpty(Mono.error(() -> new DomainException(STALE,
                                    "The customer was changed by someone else meanwhile; reload it and try again.")))
                            .flatMap(updated -> events.record(actor.tenant(), new CustomerUpdated(updated.id(),
                                            updated.status().name().toLowerCase(Locale.ROOT), updated.version()))
                                    .then(audit.record(actor.tenant(), Actors.of(actor), "customer.updated", "customer",
                                            id.toString(), Map.of("status", current.status().name().toLowerCase(Locale.ROOT),
                                                    "email", current.email()),
                                            Map.of("status", updated.status().name().toLowerCase(Locale.ROOT),
                                                    "email", updated.email())))
                                    .thenReturn(updated));
                }))
                .flatMap(updated -> withVatNumberChecked(actor, updated));
    }

    /**
     * Checks the customer's EU VAT number with VIES now and records the outcome; answers it, with the customer as
     * recorded. Refused when checks are off or the customer has no EU VAT number.
     */
    public Mono<VatCheckAttempt> checkVatNumber(Principal actor, UUID id) {
        return get(actor, id).flatMap(customer -> {
            if (vatRegistry == null) {
                return Mono.error(new DomainException(VAT_CHECKS_OFF, "VAT numbers are not checked with VIES here."));
            }
            if (customer.taxId() == null || !customer.taxId().isEuVat()) {
                return Mono.error(new DomainException(NO_EU_VAT_NUMBER, "Customer " + id + " has no EU VAT number to check."));
            }
            return checkAndRecord(actor, customer);
        });
    }

    /**
     * The saved customer, with its EU VAT number checked when checks are on. The customer is saved whatever the check
     * gives: a registry that cannot answer is recorded as unavailable, and a failure to record leaves the customer as
     * it was saved.
     */
    private Mono<Customer> withVatNumberChecked(Principal actor, Customer saved) {
        if (vatRegistry == null || saved.taxId() == null || !saved.taxId().isEuVat()) {
            return Mono.just(saved);
        }
        return checkAndRecord(actor, saved).map(VatCheckAttempt::customer).onErrorReturn(saved);
    }

    /**
     * Asks the registry outside any transaction (never hold one across a provider call), then records the outcome in
     * a small one of its own, unless the customer's tax id changed meanwhile.
     */
    private Mono<VatCheckAttempt> checkAndRecord(Principal actor, Customer customer) {
        TaxId number = customer.taxId();
        return vatRegistry.check(number)
                .onErrorResume(e -> Mono.just(new VatCheckOutcome.Unavailable("REGISTRY_ERROR")))
                .switchIfEmpty(Mono.fromSupplier(() -> new VatCheckOutcome.Unavailable("NO_ANSWER")))
                .flatMap(outcome -> {
                    Instant attemptedAt = clock.instant();
                    return unitOfWork.inTransaction(() -> customers.findById(customer.tenant(), customer.id())
                                    .flatMap(current -> number.equals(current.taxId())
                                            ? recordVatCheck(actor, current, outcome, attemptedAt) : Mono.just(current))
                                    .defaultIfEmpty(customer))
                            .map(recorded -> new VatCheckAttempt(outcome, attemptedAt, recorded));
                });
    }

    private Mono<Customer> recordVatCheck(Principal actor, Customer current, VatCheckOutcome outcome, Instant attemptedAt) {
        VatCheck kept = VatCheck.after(current.vatCheck(), outcome, attemptedAt);
        String answer = switch (outcome) {
            case VatCheckOutcome.Valid valid -> "valid";
            case VatCheckOutcome.Invalid invalid -> "invalid";
            case VatCheckOutcome.Unavailable unavailable -> "unavailable: " + unavailable.reason();
        };
        return customers.recordVatCheck(current.tenant(), current.id(), current.taxId(), kept)
                .switchIfEmpty(Mono.just(current))
                .flatMap(recorded -> audit.record(actor.tenant(), Actors.of(actor), "customer.vat_checked", "customer",
                                current.id().toString(),
                                Map.of("vatCheck", current.vatCheck() == null ? "none" : current.vatCheck().statusName()),
                                Map.of("vatNumber", current.taxId().value(), "answer", answer, "vatCheck", kept.statusName()))
                        .thenReturn(recorded));
    }

    /** True when the principal may see customer {@code id} at all. */
    public static boolean mayAccess(Principal actor, UUID id) {
        return actor.kind() != UserKind.CLIENT || id.equals(actor.customerId());
    }

    private static Customer validated(UUID id, Principal actor, CustomerDraft draft, Customer.Status status, long version) {
        FieldErrors errors = new FieldErrors();
        String name = errors.check("name", () -> FieldErrors.required(draft.name()));
        String email = errors.check("email", () -> FieldErrors.required(draft.email()));
        var currency = errors.check("currency", () -> Customer.currency(draft.currency()));
        var language = errors.check("language", () -> Customer.language(draft.language() == null ? "en" : draft.language()));
        TaxId taxId = draft.taxId() == null || draft.taxId().isBlank() ? null : errors.check("taxId", () -> new TaxId(draft.taxId()));
        AddressDraft a = draft.billingAddress();
        Address address = a == null ? null : errors.check("billingAddress",
                () -> new Address(a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country()));
        List<Contact> contacts = new ArrayList<>();
        List<ContactDraft> contactDrafts = draft.contacts() == null ? List.of() : draft.contacts();
        for (int i = 0; i < contactDrafts.size(); i++) {
            ContactDraft c = contactDrafts.get(i);
            Contact contact = errors.check("contacts[" + i + "]", () -> new Contact(c.name(), c.email(), c.phone(),
                    Contact.Role.valueOf((c.role() == null ? "primary" : c.role()).strip().toUpperCase(Locale.ROOT))));
            if (contact != null) {
                contacts.add(contact);
            }
        }
        if (errors.isEmpty()) {
            try {
                return new Customer(id, actor.tenant(), name, email, draft.company(), taxId,
                        draft.taxExemption(), currency, language, status,
                        address, contacts, null, version);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage().contains("email") ? "email" : "name", e.getMessage());
            }
        }
        throw errors.toException(INVALID, "The customer has invalid fields.");
    }

    private static Customer.Status status(String value) {
        try {
            return Customer.Status.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DomainException(INVALID, "Unknown status '" + value + "'.",
                    List.of(new FieldViolation("status", "must be one of active, suspended, closed")));
        }
    }


    private static DomainException notFound(UUID id) {
        return new DomainException(NOT_FOUND, "No customer " + id + " exists.");
    }
}
