package io.hostrail.adapters.r2dbc.customer;

import io.hostrail.customer.model.Address;
import io.hostrail.customer.model.Contact;
import io.hostrail.customer.model.Customer;
import io.hostrail.customer.model.TaxId;
import io.hostrail.customer.model.VatCheck;
import io.hostrail.customer.port.out.Customers;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

public final class R2dbcCustomers implements Customers {

    private static final TypeReference<List<Map<String, String>>> CONTACTS = new TypeReference<>() {};
    private static final String COLUMNS = """
            id, tenant_id, name, email, company, tax_id, tax_exemption, currency, language, status, address_line1, address_line2,
            address_city, address_region, address_postal_code, address_country, contacts::text AS contacts, version,
            vat_check_status, vat_checked_at, vat_registered_name""";

    private final DatabaseClient database;
    private final JsonMapper json;
    private final Clock clock;

    public R2dbcCustomers(DatabaseClient database, JsonMapper json, Clock clock) {
        this.database = database;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Mono<Customer> create(Customer customer) {
        return bindVatCheck(bindAll(database.sql("""
                        INSERT INTO customer (id, tenant_id, name, email, company, tax_id, tax_exemption, currency, language, status,
                            address_line1, address_line2, address_city, address_region, address_postal_code, address_country,
                            contacts, vat_check_status, vat_checked_at, vat_registered_name, created_at, updated_at)
                        VALUES (:id, :tenant, :name, :email, :company, :taxId, :taxExemption, :currency, :language, :status, :line1, :line2,
                            :city, :region, :postalCode, :country, :contacts, :vatStatus, :vatCheckedAt, :vatName, :now, :now)
                        """), customer), customer.vatCheck())
                .fetch().rowsUpdated().thenReturn(customer);
    }

    @Override
    public Mono<Customer> findById(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM customer WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(this::toCustomer).one();
    }

    @Override
    public Mono<Customer> findForBilling(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM customer WHERE tenant_id = :tenant AND id = :id FOR NO KEY UPDATE")
                .bind("tenant", tenant.value()).bind("id", id).map(this::toCustomer).one();
    }

    @Override
    public Flux<Customer> findForBilling(TenantId tenant, Collection<UUID> ids) {
        return database.sql("SELECT " + COLUMNS
                        + " FROM customer WHERE tenant_id = :tenant AND id = ANY(:ids) ORDER BY id FOR NO KEY UPDATE")
                .bind("tenant", tenant.value()).bind("ids", ids.toArray(UUID[]::new)).map(this::toCustomer).all();
    }

    @Override
    public Flux<Customer> list(TenantId tenant, Customer.Status status, String email, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM customer WHERE tenant_id = :tenant");
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (email != null) {
            sql.append(" AND lower(email) = :email");
        }
        if (afterId != null) {
            sql.append(" AND id > :after");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        var spec = database.sql(sql.toString()).bind("tenant", tenant.value()).bind("limit", limit);
        if (status != null) {
            spec = spec.bind("status", status.name().toLowerCase(Locale.ROOT));
        }
        if (email != null) {
            spec = spec.bind("email", email);
        }
        if (afterId != null) {
            spec = spec.bind("after", afterId);
        }
        return spec.map(this::toCustomer).all();
    }

    @Override
    public Mono<Customer> update(Customer customer, long expectedVersion) {
        return bindAll(database.sql("""
                        UPDATE customer SET name = :name, email = :email, company = :company, tax_id = :taxId,
                            tax_exemption = :taxExemption,
                            currency = :currency, language = :language, status = :status, address_line1 = :line1,
                            address_line2 = :line2, address_city = :city, address_region = :region,
                            address_postal_code = :postalCode, address_country = :country, contacts = :contacts,
                            vat_check_status = CASE WHEN tax_id IS NOT DISTINCT FROM :taxId THEN vat_check_status END,
                            vat_checked_at = CASE WHEN tax_id IS NOT DISTINCT FROM :taxId THEN vat_checked_at END,
                            vat_registered_name = CASE WHEN tax_id IS NOT DISTINCT FROM :taxId THEN vat_registered_name END,
                            updated_at = :now, version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                        """), customer)
                .bind("version", expectedVersion)
                .fetch().rowsUpdated()
                .filter(updated -> updated == 1)
                .map(updated -> new Customer(customer.id(), customer.tenant(), customer.name(), customer.email(),
                        customer.company(), customer.taxId(), customer.taxExemption(), customer.currency(), customer.language(), customer.status(),
                        customer.billingAddress(), customer.contacts(), customer.vatCheck(), expectedVersion + 1));
    }

    @Override
    public Mono<Customer> recordVatCheck(TenantId tenant, UUID id, TaxId checked, VatCheck check) {
        var spec = database.sql("""
                        UPDATE customer SET vat_check_status = :vatStatus, vat_checked_at = :vatCheckedAt,
                            vat_registered_name = :vatName
                        WHERE tenant_id = :tenant AND id = :id AND tax_id = :taxId
                        RETURNING
                        """ + COLUMNS)
                .bind("tenant", tenant.value()).bind("id", id).bind("taxId", checked.value());
        return bindVatCheck(spec, check).map(this::toCustomer).one();
    }

    private DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec spec, Customer c) {
        Address a = c.billingAddress();
        spec = spec.bind("id", c.id()).bind("tenant", c.tenant().value()).bind("name", c.name()).bind("email", c.email())
                .bind("currency", c.currency().getCurrencyCode()).bind("language", c.language().toLanguageTag())
                .bind("status", c.status().name().toLowerCase(Locale.ROOT)).bind("now", clock.instant())
                .bind("contacts", Json.of(json.writeValueAsString(c.contacts().stream().map(contact -> contactMap(contact)).toList())));
        spec = nullable(spec, "company", c.company());
        spec = nullable(spec, "taxId", c.taxId() == null ? null : c.taxId().value());
        spec = nullable(spec, "taxExemption", c.taxExemption());
        spec = nullable(spec, "line1", a == null ? null : a.line1());
        spec = nullable(spec, "line2", a == null ? null : a.line2());
        spec = nullable(spec, "city", a == null ? null : a.city());
        spec = nullable(spec, "region", a == null ? null : a.region());
        spec = nullable(spec, "postalCode", a == null ? null : a.postalCode());
        return nullable(spec, "country", a == null ? null : a.country());
    }

    private static DatabaseClient.GenericExecuteSpec bindVatCheck(DatabaseClient.GenericExecuteSpec spec, VatCheck check) {
        spec = nullable(spec, "vatStatus", check == null ? null : check.statusName());
        spec = check == null ? spec.bindNull("vatCheckedAt", Instant.class) : spec.bind("vatCheckedAt", check.checkedAt());
        return nullable(spec, "vatName", check == null ? null : check.registeredName());
    }

    private static Map<String, String> contactMap(Contact contact) {
        var map = new java.util.LinkedHashMap<String, String>();
        map.put("name", contact.name());
        map.put("email", contact.email());
        if (contact.phone() != null) {
            map.put("phone", contact.phone());
        }
        map.put("role", contact.roleName());
        return map;
    }

    private static DatabaseClient.GenericExecuteSpec nullable(DatabaseClient.GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }

    private Customer toCustomer(Readable row) {
        String country = row.get("address_country", String.class);
        Address address = country == null ? null : new Address(row.get("address_line1", String.class),
                row.get("address_line2", String.class), row.get("address_city", String.class),
                row.get("address_region", String.class), row.get("address_postal_code", String.class), country);
        List<Contact> contacts = json.readValue(row.get("contacts", String.class), CONTACTS).stream()
                .map(c -> new Contact(c.get("name"), c.get("email"), c.get("phone"),
                        Contact.Role.valueOf(c.get("role").toUpperCase(Locale.ROOT))))
                .toList();
        String taxId = row.get("tax_id", String.class);
        String vatStatus = row.get("vat_check_status", String.class);
        VatCheck vatCheck = vatStatus == null ? null : new VatCheck(VatCheck.Status.valueOf(vatStatus.toUpperCase(Locale.ROOT)),
                row.get("vat_checked_at", Instant.class), row.get("vat_registered_name", String.class));
        return new Customer(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("name", String.class), row.get("email", String.class), row.get("company", String.class),
                taxId == null ? null : new TaxId(taxId), row.get("tax_exemption", String.class), Currency.getInstance(row.get("currency", String.class)),
                Locale.forLanguageTag(row.get("language", String.class)),
                Customer.Status.valueOf(row.get("status", String.class).toUpperCase(Locale.ROOT)), address, contacts,
                vatCheck, row.get("version", Long.class));
    }
}
