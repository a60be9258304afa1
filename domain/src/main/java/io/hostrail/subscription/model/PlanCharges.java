package io.hostrail.subscription.model;

import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.catalog.model.ConfigOption;
import io.hostrail.catalog.model.Price;
import io.hostrail.catalog.model.Product;
import io.hostrail.shared.model.Money;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a plan costs per period and once: the product's price for the cycle and currency times the quantity, each
 * configured option's unit price times its quantity, and the setup fees charged with the first invoice.
 */
public record PlanCharges(Money recurring, Money setupFees, List<Charge> charges) {

    /** One line's worth: {@code quantity × unitPrice}, recurring or charged once when the plan starts. */
    public record Charge(String description, long quantity, Money unitPrice, boolean setup) {

        public Money amount() {
            return unitPrice.times(quantity);
        }
    }

    public PlanCharges {
        charges = List.copyOf(charges);
    }

    /**
     * The plan's charges. Refuses a product without a price for the cycle and currency, options the product does not
     * have, and option quantities outside their bounds; options not chosen take their minimum.
     */
    public static PlanCharges of(Product product, BillingCycle cycle, Currency currency, int quantity,
            List<SelectedOption> selected) {
        Objects.requireNonNull(product, "product");
        String code = currency.getCurrencyCode();
        Price price = product.priceFor(cycle, code).orElseThrow(() -> new IllegalArgumentException(
                "cycle: " + product.name() + " has no " + cycle.wireName() + " price in " + code));
        Map<UUID, Integer> chosen = new HashMap<>();
        for (SelectedOption option : selected) {
            if (chosen.put(option.optionId(), option.quantity()) != null) {
                throw new IllegalArgumentException("options: option " + option.optionId() + " is chosen twice");
            }
            if (product.options().stream().noneMatch(o -> o.id().equals(option.optionId()))) {
                throw new IllegalArgumentException("options: " + product.name() + " has no option " + option.optionId());
            }
        }
        List<Charge> charges = new ArrayList<>();
        charges.add(new Charge(product.name() + " (" + cycle.wireName().replace('_', '-') + ")", quantity, price.amount(),
                false));
        Money recurring = price.amount().times(quantity);
        Money setup = price.setupFee();
        if (setup.isPositive()) {
            charges.add(new Charge("Setup: " + product.name(), 1, setup, true));
        }
        for (ConfigOption option : product.options()) {
            int units = chosen.getOrDefault(option.id(), option.minQuantity());
            if (units < option.minQuantity() || units > option.maxQuantity()) {
                throw new IllegalArgumentException("options: " + option.name() + " takes from " + option.minQuantity()
                        + " to " + option.maxQuantity());
            }
            if (units == 0) {
                continue;
            }
            Price optionPrice = option.prices().stream().filter(p -> p.cycle() == cycle && p.currencyCode().equals(code))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("options: " + option.name() + " has no "
                            + cycle.wireName() + " price in " + code));
            String unit = option.unit() == null || option.unit().isBlank() ? "" : " " + option.unit();
            charges.add(new Charge(option.name() + " (" + units + unit + ")", units, optionPrice.amount(), false));
            recurring = recurring.plus(optionPrice.amount().times(units));
            if (optionPrice.setupFee().isPositive()) {
                charges.add(new Charge("Setup: " + option.name(), 1, optionPrice.setupFee(), true));
                setup = setup.plus(optionPrice.setupFee());
            }
        }
        return new PlanCharges(recurring, setup, charges);
    }

    /** The options as the subscription keeps them: every option of the product with the quantity it takes. */
    public static List<SelectedOption> resolvedOptions(Product product, List<SelectedOption> selected) {
        Map<UUID, Integer> chosen = new HashMap<>();
        selected.forEach(option -> chosen.put(option.optionId(), option.quantity()));
        return product.options().stream()
                .map(option -> new SelectedOption(option.id(), chosen.getOrDefault(option.id(), option.minQuantity())))
                .toList();
    }
}
