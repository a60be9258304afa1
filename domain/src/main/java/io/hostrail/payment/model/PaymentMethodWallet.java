package io.hostrail.payment.model;

import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The rules over one customer's saved methods, pure: at most one default; when the customer has methods but no
 * default, the newest becomes it (the first method saved, or the newest left after the default is removed); and a
 * sync with the provider, which stores what the provider has and we do not, updates details that changed, and removes
 * what the provider no longer has (detached elsewhere, such as in the provider's dashboard).
 */
public final class PaymentMethodWallet {

    /** Newest first: ids are UUIDv7, made in the order methods were stored. */
    public static final Comparator<CustomerPaymentMethod> NEWEST_FIRST =
            Comparator.comparing(CustomerPaymentMethod::id).reversed();

    /**
     * What a sync changes, each method as it is to be stored: {@code changed} holds new details and who is default,
     * {@code removed} the methods the provider no longer has.
     */
    public record Reconciliation(List<CustomerPaymentMethod> added, List<CustomerPaymentMethod> changed,
            List<CustomerPaymentMethod> removed, Optional<UUID> previousDefault, Optional<UUID> newDefault) {

        public boolean defaultChanged() {
            return !previousDefault.equals(newDefault);
        }

        public boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }
    }

    private PaymentMethodWallet() {
    }

    /** The method that becomes the default when the customer has none: the newest of those left, if any. */
    public static Optional<CustomerPaymentMethod> successor(List<CustomerPaymentMethod> live) {
        return live.stream().filter(m -> !m.removed()).min(NEWEST_FIRST);
    }

    /**
     * Brings a customer's stored methods in line with the provider's list of them.
     *
     * @param live       the customer's stored methods that are not removed
     * @param atProvider what the provider lists for the customer, newest first as providers list them
     * @param newId      ids for methods stored for the first time; asked oldest first, so ids keep the provider's order
     */
    public static Reconciliation reconcile(TenantId tenant, UUID customerId, Payment.Provider provider,
            List<CustomerPaymentMethod> live, List<SavedPaymentMethod> atProvider, Supplier<UUID> newId, Instant now) {
        Map<String, CustomerPaymentMethod> stored = new LinkedHashMap<>();
        live.forEach(m -> stored.put(m.reference(), m));
        Map<String, SavedPaymentMethod> reported = new LinkedHashMap<>();
        atProvider.reversed().forEach(m -> reported.putIfAbsent(m.reference(), m));
        Optional<UUID> previousDefault = live.stream().filter(CustomerPaymentMethod::isDefault)
                .map(CustomerPaymentMethod::id).findFirst();

        List<CustomerPaymentMethod> removed = new ArrayList<>();
        Map<UUID, CustomerPaymentMethod> after = new LinkedHashMap<>();
        Map<UUID, CustomerPaymentMethod> changed = new LinkedHashMap<>();
        for (CustomerPaymentMethod method : live) {
            SavedPaymentMethod listed = reported.get(method.reference());
            if (listed == null) {
                removed.add(method.removedAt(now));
            } else if (!method.sameDetails(listed)) {
                CustomerPaymentMethod updated = method.withDetails(listed);
                changed.put(method.id(), updated);
                after.put(method.id(), updated);
            } else {
                after.put(method.id(), method);
            }
        }
        Map<UUID, CustomerPaymentMethod> added = new LinkedHashMap<>();
        for (SavedPaymentMethod method : reported.values()) {
            if (!stored.containsKey(method.reference())) {
                CustomerPaymentMethod saved = CustomerPaymentMethod.saved(newId.get(), tenant, customerId, provider,
                        method, now);
                added.put(saved.id(), saved);
                after.put(saved.id(), saved);
            }
        }

        Optional<UUID> newDefault = previousDefault.filter(after::containsKey);
        if (newDefault.isEmpty()) {
            newDefault = successor(List.copyOf(after.values())).map(CustomerPaymentMethod::id);
            newDefault.ifPresent(id -> {
                if (added.containsKey(id)) {
                    added.put(id, added.get(id).asDefault(true));
                } else {
                    changed.put(id, after.get(id).asDefault(true));
                }
            });
        }
        return new Reconciliation(List.copyOf(added.values()), List.copyOf(changed.values()), removed, previousDefault,
                newDefault);
    }
}
