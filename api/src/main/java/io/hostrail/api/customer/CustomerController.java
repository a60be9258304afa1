package io.hostrail.api.customer;

import io.hostrail.customer.model.Address;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.model.VatCheck;
import io.hostrail.customer.model.VatCheckOutcome;
import io.hostrail.customer.service.CustomerService;
import io.hostrail.customer.service.CustomerService.AddressDraft;
import io.hostrail.customer.service.CustomerService.ContactDraft;
import io.hostrail.customer.service.CustomerService.CustomerDraft;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.User;
import io.hostrail.identity.service.UserAdministration;
import io.hostrail.identity.service.UserAdministration.CreateStaffUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/customers")
@Tag(name = "Customers", description = "Customer accounts and their client logins. Client users see only their own.")
@SecurityRequirement(name = "bearer")
public class CustomerController {

    record AddressBody(@Schema(example = "Hauptstraße 1") @Size(max = 200) String line1,
            @Schema(example = "3. OG") @Size(max = 200) String line2,
            @Schema(example = "Berlin") @Size(max = 100) String city,
            @Schema(example = "BE") @Size(max = 100) String region,
            @Schema(example = "10115") @Size(max = 20) String postalCode,
            @Schema(example = "DE") @NotBlank @Size(max = 2) String country) {
    }

    record ContactBody(@Schema(example = "Jana Jones") @NotBlank @Size(max = 200) String name,
            @Schema(example = "billing@acme.example") @NotBlank @Size(max = 254) String email,
            @Schema(example = "+49 30 1234567") @Size(max = 40) String phone,
            @Schema(example = "billing", allowableValues = {"primary", "billing", "technical"}) String role) {
    }

    record CustomerBody(@Schema(example = "Acme GmbH") @NotBlank @Size(max = 200) String name,
            @Schema(example = "accounts@acme.example") @NotBlank @Size(max = 254) String email,
            @Schema(example = "Acme GmbH") @Size(max = 200) String company,
            @Schema(example = "DE123456789") @Size(max = 40) String taxId,
            @Schema(example = "Registered charity, exemption certificate 12-345",
                    description = "Set to charge the customer no tax; the reason is printed on its invoices")
            @Size(max = 500) String taxExemption,
            @Schema(example = "EUR") @NotBlank @Size(min = 3, max = 3) String currency,
            @Schema(example = "de") @Size(max = 35) String language,
            @Schema(example = "active", allowableValues = {"active", "suspended", "closed"}) String status,
            @Valid AddressBody billingAddress,
            @Size(max = 20) List<@Valid ContactBody> contacts,
            @Schema(example = "0", description = "Required when updating: the version you read") @PositiveOrZero Long version) {

        CustomerDraft draft() {
            AddressBody a = billingAddress;
            return new CustomerDraft(name, email, company, taxId, taxExemption, currency, language, status,
                    a == null ? null : new AddressDraft(a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country()),
                    contacts == null ? List.of() : contacts.stream()
                            .map(c -> new ContactDraft(c.name(), c.email(), c.phone(), c.role())).toList());
        }
    }

    @Schema(description = "The last check of the EU VAT number with VIES; absent when none was made")
    record VatCheckBody(@Schema(example = "valid", allowableValues = {"valid", "invalid", "unavailable"}) String status,
            @Schema(description = "When VIES answered, or, when unavailable, when it was asked") Instant checkedAt,
            @Schema(example = "ACME GMBH", description = "The name registered for the number, when the member state discloses it")
            String name) {

        static VatCheckBody of(VatCheck check) {
            return check == null ? null : new VatCheckBody(check.statusName(), check.checkedAt(), check.registeredName());
        }
    }

    record CustomerResponse(UUID id, String name, String email, String company, String taxId, String taxExemption,
            String currency,
            String language, String status, AddressBody billingAddress, List<ContactBody> contacts, VatCheckBody vatCheck,
            long version) {

        static CustomerResponse of(Customer c) {
            Address a = c.billingAddress();
            return new CustomerResponse(c.id(), c.name(), c.email(), c.company(), c.taxId() == null ? null : c.taxId().value(),
                    c.taxExemption(),
                    c.currency().getCurrencyCode(), c.language().toLanguageTag(), c.status().name().toLowerCase(Locale.ROOT),
                    a == null ? null : new AddressBody(a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country()),
                    c.contacts().stream().map(k -> new ContactBody(k.name(), k.email(), k.phone(), k.roleName())).toList(),
                    VatCheckBody.of(c.vatCheck()), c.version());
        }
    }

    record VatCheckAnswer(
            @Schema(example = "valid", allowableValues = {"valid", "invalid", "unavailable"}) String status,
            @Schema(description = "When VIES answered, or, when unavailable, when it was asked") Instant checkedAt,
            @Schema(example = "ACME GMBH") String name,
            @Schema(example = "HAUPTSTRASSE 1, 10115 BERLIN") String address,
            @Schema(example = "MS_UNAVAILABLE", description = "Only when unavailable: VIES's error code, or what failed on "
                    + "the way (CLIENT_TIMEOUT, CONNECTION_FAILED, CIRCUIT_OPEN, BULKHEAD_FULL, HTTP_<status>)") String reason,
            @Schema(description = "What the customer's record says now: an unavailable answer keeps an earlier valid or "
                    + "invalid one") VatCheckBody vatCheck) {

        static VatCheckAnswer of(CustomerService.VatCheckAttempt attempt) {
            VatCheckBody recorded = VatCheckBody.of(attempt.customer().vatCheck());
            return switch (attempt.outcome()) {
                case VatCheckOutcome.Valid valid -> new VatCheckAnswer("valid", valid.checkedAt(), valid.name(),
                        valid.address(), null, recorded);
                case VatCheckOutcome.Invalid invalid -> new VatCheckAnswer("invalid", invalid.checkedAt(), null, null, null,
                        recorded);
                case VatCheckOutcome.Unavailable unavailable -> new VatCheckAnswer("unavailable", attempt.attemptedAt(),
                        null, null, unavailable.reason(), recorded);
            };
        }
    }

    record CustomerPage(List<CustomerResponse> items, String nextCursor) {
    }

    record ClientUserBody(@Schema(example = "jana@acme.example") @NotBlank @Size(max = 254) String email,
            @Schema(example = "Jana Jones") @Size(max = 200) String displayName,
            @Schema(example = "a long and memorable passphrase") @NotBlank @Size(max = 1024) String password) {

        @Override
        public String toString() {
            return "ClientUserBody[email=" + email + ", password=****]";
        }
    }

    record ClientUserResponse(UUID id, UUID customerId, String email, String displayName, String status) {
    }

    private final CustomerService customers;
    private final UserAdministration users;

    public CustomerController(CustomerService customers, UserAdministration users) {
        this.customers = customers;
        this.users = users;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('customer:write')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a customer account", description = """
            With VIES checks on, an EU VAT number is checked with VIES once the customer is saved, and `vatCheck` \
            carries the answer (`unavailable` when VIES gave none; the customer is saved all the same).""")
    public Mono<ResponseEntity<CustomerResponse>> create(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody CustomerBody body) {
        return customers.create(actor, body.draft())
                .map(c -> ResponseEntity.created(URI.create("/api/v1/customers/" + c.id())).body(CustomerResponse.of(c)));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "List customers", description = "A client user gets its own customer only. Pass nextCursor as after.")
    public Mono<CustomerPage> list(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) String status, @RequestParam(required = false) String email,
            @RequestParam(required = false) UUID after, @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return customers.list(actor, status, email, after, limit).map(CustomerResponse::of).collectList()
                .map(items -> new CustomerPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('customer:read')")
    @Operation(summary = "Get a customer", description = "A client user can get only its own customer.")
    public Mono<CustomerResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return customers.get(actor, id).map(CustomerResponse::of);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Update a customer", description = """
            Send the whole account with the version you read. With VIES checks on, an EU VAT number is checked again \
            once the change is saved; a changed number drops the old check.""")
    public Mono<CustomerResponse> update(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody CustomerBody body) {
        if (body.version() == null) {
            return Mono.error(new io.hostrail.shared.error.DomainException(CustomerService.INVALID, "The version is required.",
                    List.of(new io.hostrail.shared.error.DomainException.FieldViolation("version", "must not be null"))));
        }
        return customers.update(actor, id, body.draft(), body.version()).map(CustomerResponse::of);
    }

    @PostMapping("/{id}/vat-check")
    @PreAuthorize("hasAuthority('customer:write')")
    @Operation(summary = "Check the customer's EU VAT number with VIES again", description = """
            Asks VIES now and answers what it said; the answer is recorded on the customer (`vatCheck`), except that an \
            unavailable VIES does not replace an earlier valid or invalid answer. 422 `customer.no_eu_vat_number` \
            without an EU VAT number, 422 `customer.vat_checks_off` when VIES checks are not enabled.""")
    public Mono<VatCheckAnswer> checkVatNumber(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return customers.checkVatNumber(actor, id).map(VatCheckAnswer::of);
    }

    @PostMapping("/{id}/users")
    @PreAuthorize("hasAuthority('user:write') and hasAuthority('customer:read')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a client login for the customer", description = """
            The client user signs in like staff and sees only this customer's data.""")
    public Mono<ResponseEntity<ClientUserResponse>> createClientUser(@AuthenticationPrincipal Principal actor,
            @PathVariable UUID id, @Valid @RequestBody ClientUserBody body) {
        return customers.get(actor, id)
                .then(users.createClientUser(actor, id, new CreateStaffUser(body.email(), body.displayName(), body.password(),
                        java.util.Set.of())))
                .map(user -> ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(response(user)));
    }

    private static ClientUserResponse response(User user) {
        return new ClientUserResponse(user.id(), user.customerId(), user.email(), user.displayName(),
                user.status().name().toLowerCase(Locale.ROOT));
    }

}
