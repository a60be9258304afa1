package io.hostrail.identity.model;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** The staff roles every tenant starts with. Their permissions are fixed; tenants add custom roles beside them. */
public enum BuiltInRole {
    OWNER("owner", "Everything, including users, roles and settings", Permissions.ALL),
    ADMIN("admin", "Everything but ownership", Permissions.ALL),
    BILLING("billing", "Customers, catalog, subscriptions, invoices and payments",
            union(Permissions.on("customer", "product", "subscription", "invoice", "payment", "payment_method",
                    "report"),
                    Permissions.operationalReading())),
    SUPPORT("support", "Tickets and customers, read access to the rest of the business",
            union(Permissions.on("ticket", "customer"), Permissions.operationalReading())),
    PROVISIONING("provisioning", "Servers, hosting accounts and domains",
            union(Permissions.on("provisioning", "domain"), Permissions.operationalReading())),
    READONLY("readonly", "Read access to the business; none to users, roles, keys, audit or settings",
            Permissions.operationalReading());

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

}
