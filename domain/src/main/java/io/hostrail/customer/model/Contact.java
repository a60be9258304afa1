package io.hostrail.customer.model;

import java.util.Locale;
import java.util.Objects;

/** Someone at the customer to write to about billing, technical matters, or everything. */
public record Contact(String name, String email, String phone, Role role) {

    public enum Role { PRIMARY, BILLING, TECHNICAL }

    public Contact {
        Objects.requireNonNull(role, "contact role");
        name = Address.trimmed(name, 200);
        if (name == null) {
            throw new IllegalArgumentException("a contact needs a name");
        }
        email = Customer.email(email);
        phone = Address.trimmed(phone, 40);
        if (phone != null && !phone.matches("\\+?[0-9 ()./-]{4,40}")) {
            throw new IllegalArgumentException("'" + phone + "' is not a phone number");
        }
    }

    public String roleName() {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
