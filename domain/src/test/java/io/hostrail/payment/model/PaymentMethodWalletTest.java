package io.hostrail.payment.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostrail.payment.model.PaymentMethodWallet.Reconciliation;
import io.hostrail.shared.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One default at most, the newest taking over, and a sync that follows the provider's list. */
class PaymentMethodWalletTest {

    private static final TenantId TENANT = TenantId.of("0190a000-0000-7000-8000-000000000001");
    private static final UUID CUSTOMER = UUID.fromString("0190a000-0000-7000-8000-0000000000c1");
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    private final AtomicLong sequence = new AtomicLong(100);
    private final Supplier<UUID> ids = () -> id(sequence.incrementAndGet());

    @Test
    @DisplayName("the successor is the newest method left; none when nothing is left")
    void successor() {
        CustomerPaymentMethod older = stored(1, "pm_a", false);
        CustomerPaymentMethod newer = stored(2, "pm_b", false);
        assertThat(PaymentMethodWallet.successor(List.of(older, newer))).contains(newer);
        assertThat(PaymentMethodWallet.successor(List.of(older, newer.removedAt(NOW)))).contains(older);
        assertThat(PaymentMethodWallet.successor(List.of())).isEmpty();
    }

    @Test
    @DisplayName("a customer's first card is stored as the default")
    void firstBecomesDefault() {
        Reconciliation change = reconcile(List.of(), List.of(card("pm_a", "4242")));
        assertThat(change.added()).singleElement().satisfies(added -> {
            assertThat(added.reference()).isEqualTo("pm_a");
            assertThat(added.isDefault()).isTrue();
            assertThat(added.last4()).isEqualTo("4242");
        });
        assertThat(change.newDefault()).contains(change.added().getFirst().id());
        assertThat(change.defaultChanged()).isTrue();
    }

    @Test
    @DisplayName("several new cards at once are stored oldest first, and the newest becomes the default")
    void severalNewCards() {
        // Stripe lists newest first.
        Reconciliation change = reconcile(List.of(), List.of(card("pm_new", "4444"), card("pm_old", "4242")));
        assertThat(change.added()).extracting(CustomerPaymentMethod::reference).containsExactly("pm_old", "pm_new");
        assertThat(change.added().get(0).id()).isLessThan(change.added().get(1).id());
        assertThat(change.added()).filteredOn(CustomerPaymentMethod::isDefault)
                .extracting(CustomerPaymentMethod::reference).containsExactly("pm_new");
    }

    @Test
    @DisplayName("a new card next to a default leaves the default where it is")
    void defaultStays() {
        CustomerPaymentMethod current = stored(1, "pm_a", true);
        Reconciliation change = reconcile(List.of(current), List.of(card("pm_b", "4444"), card("pm_a", "4242")));
        assertThat(change.added()).singleElement().satisfies(added -> assertThat(added.isDefault()).isFalse());
        assertThat(change.changed()).isEmpty();
        assertThat(change.removed()).isEmpty();
        assertThat(change.defaultChanged()).isFalse();
    }

    @Test
    @DisplayName("a default the provider no longer has is removed, and the newest left takes over")
    void goneDefaultIsReplaced() {
        CustomerPaymentMethod oldest = stored(1, "pm_a", false);
        CustomerPaymentMethod middle = stored(2, "pm_b", false);
        CustomerPaymentMethod gone = stored(3, "pm_c", true);
        Reconciliation change = reconcile(List.of(gone, middle, oldest), List.of(card("pm_b", "4242"),
                card("pm_a", "4242")));
        assertThat(change.removed()).singleElement().satisfies(removed -> {
            assertThat(removed.id()).isEqualTo(gone.id());
            assertThat(removed.removedAt()).isEqualTo(NOW);
            assertThat(removed.isDefault()).isFalse();
        });
        assertThat(change.changed()).singleElement().satisfies(promoted -> {
            assertThat(promoted.id()).isEqualTo(middle.id());
            assertThat(promoted.isDefault()).isTrue();
        });
        assertThat(change.previousDefault()).contains(gone.id());
        assertThat(change.newDefault()).contains(middle.id());
    }

    @Test
    @DisplayName("when the provider has nothing left, everything is removed and there is no default")
    void nothingLeft() {
        Reconciliation change = reconcile(List.of(stored(1, "pm_a", true)), List.of());
        assertThat(change.removed()).hasSize(1);
        assertThat(change.newDefault()).isEqualTo(Optional.empty());
    }

    @Test
    @DisplayName("details the provider changed (a renewed card's expiry) are updated, nothing else")
    void detailsFollowTheProvider() {
        CustomerPaymentMethod current = stored(1, "pm_a", true);
        Reconciliation change = reconcile(List.of(current), List.of(new SavedPaymentMethod("pm_a", "card", "visa",
                "4242", 9, 2031)));
        assertThat(change.changed()).singleElement().satisfies(updated -> {
            assertThat(updated.expMonth()).isEqualTo(9);
            assertThat(updated.expYear()).isEqualTo(2031);
            assertThat(updated.isDefault()).isTrue();
        });
        assertThat(reconcile(List.of(current), List.of(card("pm_a", "4242"))).isEmpty()).isTrue();
    }

    private Reconciliation reconcile(List<CustomerPaymentMethod> live, List<SavedPaymentMethod> atProvider) {
        return PaymentMethodWallet.reconcile(TENANT, CUSTOMER, Payment.Provider.STRIPE, live, atProvider, ids, NOW);
    }

    private static SavedPaymentMethod card(String reference, String last4) {
        return new SavedPaymentMethod(reference, "card", "visa", last4, 8, 2030);
    }

    private static CustomerPaymentMethod stored(long n, String reference, boolean isDefault) {
        return new CustomerPaymentMethod(id(n), TENANT, CUSTOMER, Payment.Provider.STRIPE, reference, "card", "visa",
                "4242", 8, 2030, isDefault, NOW.minusSeconds(1000 - n), null, 0);
    }

    private static UUID id(long n) {
        return UUID.fromString("0190a000-0000-7000-8000-%012d".formatted(n));
    }
}
