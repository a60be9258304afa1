package io.hostrail.identity.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Every permission Hostrail knows. Custom roles may only grant these. */
public final class Permissions {

    public static final Permission USER_READ = Permission.of("user:read");
    public static final Permission USER_WRITE = Permission.of("user:write");
    public static final Permission ROLE_READ = Permission.of("role:read");
    public static final Permission ROLE_WRITE = Permission.of("role:write");
    public static final Permission API_KEY_READ = Permission.of("api_key:read");
    public static final Permission API_KEY_WRITE = Permission.of("api_key:write");
    public static final Permission AUDIT_READ = Permission.of("audit:read");
    public static final Permission SETTINGS_READ = Permission.of("settings:read");
    public static final Permission SETTINGS_WRITE = Permission.of("settings:write");
    public static final Permission CUSTOMER_READ = Permission.of("customer:read");
    public static final Permission CUSTOMER_WRITE = Permission.of("customer:write");
    public static final Permission PRODUCT_READ = Permission.of("product:read");
    public static final Permission PRODUCT_WRITE = Permission.of("product:write");
    public static final Permission SUBSCRIPTION_READ = Permission.of("subscription:read");
    public static final Permission SUBSCRIPTION_WRITE = Permission.of("subscription:write");
    public static final Permission INVOICE_READ = Permission.of("invoice:read");
    public static final Permission INVOICE_WRITE = Permission.of("invoice:write");
    public static final Permission PAYMENT_READ = Permission.of("payment:read");
    public static final Permission PAYMENT_WRITE = Permission.of("payment:write");
    public static final Permission PAYMENT_REFUND = Permission.of("payment:refund");
    /** Customers' saved cards: listing them, and saving, choosing the default and removing. */
    public static final Permission PAYMENT_METHOD_READ = Permission.of("payment_method:read");
    public static final Permission PAYMENT_METHOD_WRITE = Permission.of("payment_method:write");
    public static final Permission PROVISIONING_READ = Permission.of("provisioning:read");
    public static final Permission PROVISIONING_WRITE = Permission.of("provisioning:write");
    public static final Permission DOMAIN_READ = Permission.of("domain:read");
    public static final Permission DOMAIN_WRITE = Permission.of("domain:write");
    public static final Permission TICKET_READ = Permission.of("ticket:read");
    public static final Permission TICKET_WRITE = Permission.of("ticket:write");
    public static final Permission REPORT_READ = Permission.of("report:read");

    public static final Set<Permission> ALL = Collections.unmodifiableSet(new TreeSet<>(Set.of(
            USER_READ, USER_WRITE, ROLE_READ, ROLE_WRITE, API_KEY_READ, API_KEY_WRITE, AUDIT_READ,
            SETTINGS_READ, SETTINGS_WRITE, CUSTOMER_READ, CUSTOMER_WRITE, PRODUCT_READ, PRODUCT_WRITE,
            SUBSCRIPTION_READ, SUBSCRIPTION_WRITE, INVOICE_READ, INVOICE_WRITE, PAYMENT_READ, PAYMENT_WRITE,
            PAYMENT_REFUND, PAYMENT_METHOD_READ, PAYMENT_METHOD_WRITE, PROVISIONING_READ, PROVISIONING_WRITE, DOMAIN_READ, DOMAIN_WRITE, TICKET_READ,
            TICKET_WRITE, REPORT_READ)));

    /**
     * What a client user (a customer's own login) may do. Every service a client principal reaches must also scope what
     * it returns to {@code principal.customerId()}: these permissions say "of their own"; {@code product:read} is the
     * storefront, the products on sale; {@code payment_method:write} lets a customer save and remove its own cards.
     */
    public static final Set<Permission> CLIENT_PORTAL = Collections.unmodifiableSet(new TreeSet<>(Set.of(
            CUSTOMER_READ, PRODUCT_READ, SUBSCRIPTION_READ, INVOICE_READ, PAYMENT_READ, PAYMENT_METHOD_READ,
            PAYMENT_METHOD_WRITE, DOMAIN_READ, TICKET_READ, TICKET_WRITE)));

    private Permissions() {
    }

    public static boolean isKnown(Permission permission) {
        return ALL.contains(permission);
    }

    /** Every known permission whose resource is one of those given, for composing roles. */
    static Set<Permission> on(String... resources) {
        Set<String> wanted = Arrays.stream(resources).collect(Collectors.toSet());
        return ALL.stream().filter(p -> wanted.contains(p.value().substring(0, p.value().indexOf(':'))))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Who works here, what they may do, which keys exist and what they did: for owners and admins only. */
    static final Set<Permission> ADMINISTRATIVE_READS = Set.of(USER_READ, ROLE_READ, API_KEY_READ, AUDIT_READ, SETTINGS_READ);

    /** Read access to the business (customers, billing, provisioning, tickets), not to its administration. */
    static Set<Permission> operationalReading() {
        return ALL.stream().filter(p -> p.value().endsWith(":read") && !ADMINISTRATIVE_READS.contains(p))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
