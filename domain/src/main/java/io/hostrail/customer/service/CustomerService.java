package io.hostrail.customer.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.customer.model.Address;
import io.hostrail.customer.model.Contact;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.model.CustomerEvents.CustomerCreated;
import io.hostrail.customer.model.CustomerEvents.CustomerUpdated;
import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.port.out.Customers;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    public CustomerService(Customers customers, UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids) {
        this.customers = customers;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
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
                        .thenReturn(created)));
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
                }));
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
                        address, contacts, version);
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
