package io.hostrail.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProductTest {

    private static final TenantId TENANT = new TenantId(UUID.randomUUID());
    private static final Product.Provisioning STARTER = new Product.Provisioning("starter_5gb", "eu-shared");

    @Test
    @DisplayName("a price is found by cycle and currency, and only there")
    void priceLookup() {
        Product product = hosting(List.of(price(BillingCycle.MONTHLY, "9.99", "EUR"), price(BillingCycle.ANNUAL, "99", "EUR")),
                List.of());
        assertThat(product.priceFor(BillingCycle.ANNUAL, "EUR")).map(p -> p.amount().minorUnits()).contains(9900L);
        assertThat(product.priceFor(BillingCycle.ANNUAL, "USD")).isEmpty();
        assertThat(product.priceFor(BillingCycle.QUARTERLY, "EUR")).isEmpty();
    }

    @Test
    @DisplayName("prices are unique per cycle and currency, present, and either one-time or recurring")
    void priceRules() {
        assertThatIllegalArgumentException().isThrownBy(() -> hosting(List.of(), List.of()))
                .withMessageStartingWith("prices:");
        assertThatIllegalArgumentException().isThrownBy(() -> hosting(
                        List.of(price(BillingCycle.MONTHLY, "1", "EUR"), price(BillingCycle.MONTHLY, "2", "EUR")), List.of()))
                .withMessageContaining("monthly/EUR");
        assertThatIllegalArgumentException().isThrownBy(() -> hosting(
                        List.of(price(BillingCycle.ONE_TIME, "1", "EUR"), price(BillingCycle.MONTHLY, "2", "EUR")), List.of()))
                .withMessageContaining("one-time or recurring");
        assertThatIllegalArgumentException().isThrownBy(() -> price(BillingCycle.MONTHLY, "-0.01", "EUR"));
        assertThatIllegalArgumentException().isThrownBy(() -> new Price(BillingCycle.MONTHLY, Money.parse("1", "EUR"),
                Money.parse("1", "USD")));
    }

    @Test
    @DisplayName("an option is priced for exactly the product's cycles and currencies")
    void optionPrices() {
        List<Price> productPrices = List.of(price(BillingCycle.MONTHLY, "9.99", "EUR"), price(BillingCycle.MONTHLY, "1500", "JPY"));
        ConfigOption complete = new ConfigOption(UUID.randomUUID(), "Extra disk", "GB", 0, 10,
                List.of(price(BillingCycle.MONTHLY, "0.5", "EUR"), price(BillingCycle.MONTHLY, "80", "JPY")));
        assertThat(hosting(productPrices, List.of(complete)).options()).containsExactly(complete);

        ConfigOption euroOnly = new ConfigOption(UUID.randomUUID(), "Extra disk", "GB", 0, 10,
                List.of(price(BillingCycle.MONTHLY, "0.5", "EUR")));
        assertThatIllegalArgumentException().isThrownBy(() -> hosting(productPrices, List.of(euroOnly)))
                .withMessageContaining("monthly/JPY");
        assertThatIllegalArgumentException().isThrownBy(() -> hosting(productPrices, List.of(complete,
                new ConfigOption(UUID.randomUUID(), "extra DISK", null, 0, 1, complete.prices()))))
                .withMessageContaining("more than one option");
        assertThatIllegalArgumentException().isThrownBy(() -> new ConfigOption(UUID.randomUUID(), "IPs", null, 3, 2, List.of()));
    }

    @Test
    @DisplayName("only hosting products carry a WHM package, and add-ons have no add-ons")
    void kindRules() {
        List<Price> prices = List.of(price(BillingCycle.MONTHLY, "2", "EUR"));
        assertThatIllegalArgumentException().isThrownBy(() -> product(Product.Kind.HOSTING, null, prices, Set.of(), null, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> product(Product.Kind.DOMAIN, STARTER, prices, Set.of(), null, 0));
        assertThatIllegalArgumentException().isThrownBy(
                () -> product(Product.Kind.ADDON, null, prices, Set.of(UUID.randomUUID()), null, 0));
    }

    @Test
    @DisplayName("a product is orderable unless retired or sold out")
    void stock() {
        List<Price> prices = List.of(price(BillingCycle.MONTHLY, "2", "EUR"));
        Product limited = product(Product.Kind.SERVICE, null, prices, Set.of(), 3, 2);
        assertThat(limited.isOrderable()).isTrue();
        assertThat(limited.stockAvailable()).contains(1);
        Product soldOut = product(Product.Kind.SERVICE, null, prices, Set.of(), 2, 2);
        assertThat(soldOut.isOrderable()).isFalse();
        assertThat(soldOut.stockAvailable()).contains(0);
        assertThat(product(Product.Kind.SERVICE, null, prices, Set.of(), null, 500).stockAvailable()).isEmpty();
        Product retired = new Product(UUID.randomUUID(), TENANT, null, Product.Kind.SERVICE, "Old", null,
                Product.Status.RETIRED, null, 0, null, prices, List.of(), Set.of(), 0);
        assertThat(retired.isOrderable()).isFalse();
    }

    @Test
    @DisplayName("billing cycles read their wire names and refuse others by name")
    void cycles() {
        assertThat(BillingCycle.fromWire(" Semi_Annual ")).isEqualTo(BillingCycle.SEMI_ANNUAL);
        assertThat(BillingCycle.TRIENNIAL.months()).isEqualTo(36);
        assertThat(BillingCycle.ONE_TIME.recurs()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> BillingCycle.fromWire("weekly"))
                .withMessageContaining("monthly, quarterly");
    }

    private static Product hosting(List<Price> prices, List<ConfigOption> options) {
        return new Product(UUID.randomUUID(), TENANT, null, Product.Kind.HOSTING, "Starter", null, Product.Status.ACTIVE,
                null, 0, STARTER, prices, options, Set.of(), 0);
    }

    private static Product product(Product.Kind kind, Product.Provisioning provisioning, List<Price> prices, Set<UUID> addons,
            Integer stockLimit, int stockSold) {
        return new Product(UUID.randomUUID(), TENANT, null, kind, "Thing", null, Product.Status.ACTIVE, stockLimit, stockSold,
                provisioning, prices, List.of(), addons, 0);
    }

    private static Price price(BillingCycle cycle, String amount, String currency) {
        return new Price(cycle, Money.parse(amount, currency), Money.zero(currency));
    }
}
