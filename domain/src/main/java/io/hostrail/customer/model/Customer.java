package io.hostrail.customer.model;

import io.hostrail.shared.model.TenantId;
import java.util.Currency;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A customer account of a hosting provider: who is billed, in which currency and language, and how to reach them. A
 * customer with a {@code taxExemption} (the reason, e.g. a charity's exemption certificate) is charged no tax, and its
 * invoices say why. {@code vatCheck} is the last check of an EU VAT number with VIES, or null if none was made; it
 * always concerns the current {@code taxId}.
 */
public record Customer(UUID id, TenantId tenant, String name, String email, String company, TaxId taxId,
        String taxExemption, Currency currency, Locale language, Status status, Address billingAddress,
        List<Contact> contacts, VatCheck vatCheck, long version) {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");

    public enum Status { ACTIVE, SUSPENDED, CLOSED }

    public Customer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(status, "status");
        name = Address.trimmed(name, 200);
        if (name == null) {
            throw new IllegalArgumentException("a customer needs a name");
        }
        email = email(email);
        company = Address.trimmed(company, 200);
        taxExemption = Address.trimmed(taxExemption, 500);
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("currency " + currency.getCurrencyCode() + " cannot hold money");
        }
        contacts = List.copyOf(contacts == null ? List.of() : contacts);
        if (contacts.size() > 20) {
            throw new IllegalArgumentException("at most 20 contacts");
        }
    }

    public Customer withVatCheck(VatCheck check) {
        return new Customer(id, tenant, name, email, company, taxId, taxExemption, currency, language, status,
                billingAddress, contacts, check, version);
    }

    static String email(String email) {
        if (email == null || email.strip().length() > 254 || !EMAIL.matcher(email.strip()).matches()) {
            throw new IllegalArgumentException("'" + email + "' is not an email address");
        }
        return email.strip().toLowerCase(Locale.ROOT);
    }

    public static Currency currency(String code) {
        Currency currency;
        try {
            currency = Currency.getInstance(code == null ? "" : code.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + code + "' is not an ISO 4217 currency code");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException(currency.getCurrencyCode() + " has no minor unit and cannot hold money");
        }
        return currency;
    }

    public static Locale language(String tag) {
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag == null ? "" : tag.strip()).build();
            if (locale.getLanguage().isEmpty()) {
                throw new IllegalArgumentException("'" + tag + "' is not a language tag such as en or de-AT");
            }
            return locale;
        } catch (IllformedLocaleException e) {
            throw new IllegalArgumentException("'" + tag + "' is not a language tag such as en or de-AT");
        }
    }
}
