package io.hostrail.identity.model;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** The staff roles every tenant starts with. Their permissions are fixed; tenants add custom roles beside them. */
public enum BuiltInRole {
    OWNER("owner", "Everything, including users, roles and settings", Permissions.ALL),
    ADMIN("admin", "Everything but ownership", Permissions.ALL),
    BILLING("billing", "Customers, catalog, subscriptions, invoices and payments",
            union(Permissions.on("customer", "product", "subscription", "invoice", "payment", "report"),
                    Permissions.reading())),
    SUPPORT("support", "Tickets and customers, read access elsewhere",
            union(Permissions.on("ticket", "customer"), Permissions.reading())),
    PROVISIONING("provisioning", "Servers, hosting accounts and domains",
            union(Permissions.on("provisioning", "domain"), Permissions.reading())),
    READONLY("readonly", "Read access to everything but users, roles, keys and audit",
            minus(Permissions.reading(), Set.of(Permissions.USER_READ, Permissions.ROLE_READ,
                    Permissions.API_KEY_READ, Permissions.AUDIT_READ)));

    private final String roleName;
    private final String description;
    private final Set<Permission> permissions;

    BuiltInRole(String roleName, String description, Set<Permission> permissions) {
        this.roleName = roleName;
        this.description = description;
        this.permissions = Collections.unmodifiableSet(new TreeSet<>(permissions));
    }

    public String roleName() {
        return roleName;
    }

    public String description() {
        return description;
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    private static Set<Permission> union(Set<Permission> a, Set<Permission> b) {
        Set<Permission> result = new TreeSet<>(a);
        result.addAll(b);
        return result;
    }

    private static Set<Permission> minus(Set<Permission> a, Set<Permission> b) {
        Set<Permission> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }
}
