package io.hostrail.catalog.model;

import io.hostrail.catalog.model.Price.PriceKey;
import io.hostrail.shared.model.TenantId;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Something a hosting provider sells: a hosting plan, a domain, an add-on or a service, with its prices per cycle and
 * currency, the options a customer configures on it and the add-ons offered with it.
 *
 * <p>Hidden products are not listed to customers but can still be ordered by staff or a direct link; retired ones
 * cannot be ordered any more while existing subscriptions keep them. A stock limit caps how many can be sold.
 */
public record Product(UUID id, TenantId tenant, UUID groupId, Kind kind, String name, String description, Status status,
        Integer stockLimit, int stockSold, Provisioning provisioning, List<Price> prices, List<ConfigOption> options,
        Set<UUID> addonIds, long version) {

    public enum Kind {
        HOSTING, DOMAIN, ADDON, SERVICE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Status {
        ACTIVE, HIDDEN, RETIRED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where a hosting product is created: the WHM package and the group of servers that may carry it. */
    public record Provisioning(String whmPackage, String serverGroup) {

        public Provisioning {
            if (whmPackage == null || whmPackage.isBlank()) {
                throw new IllegalArgumentException("whmPackage is required for hosting products");
            }
        }
    }

    public Product {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        prices = List.copyOf(prices);
        options = List.copyOf(options);
        addonIds = Set.copyOf(new LinkedHashSet<>(addonIds));
        if (kind == Kind.HOSTING && provisioning == null) {
            throw new IllegalArgumentException("whmPackage is required for hosting products");
        }
        if (kind != Kind.HOSTING && provisioning != null) {
            throw new IllegalArgumentException("only hosting products are provisioned on a WHM package");
        }
        if (stockLimit != null && stockLimit < 0) {
            throw new IllegalArgumentException("stockLimit must not be negative");
        }
        if (stockSold < 0) {
            throw new IllegalArgumentException("stockSold must not be negative");
        }
        requireValidPrices(prices);
        requireValidOptions(options, priceKeys(prices));
        if (addonIds.contains(id)) {
            throw new IllegalArgumentException("a product cannot be its own add-on");
        }
        if (kind == Kind.ADDON && !addonIds.isEmpty()) {
            throw new IllegalArgumentException("an add-on cannot have add-ons of its own");
        }
    }

    public Optional<Price> priceFor(BillingCycle cycle, String currency) {
        return prices.stream().filter(p -> p.cycle() == cycle && p.currencyCode().equals(currency)).findFirst();
    }

    /** Whether another unit may be sold now: not retired and not sold out. */
    public boolean isOrderable() {
        return status != Status.RETIRED && (stockLimit == null || stockSold < stockLimit);
    }

    /** Units left to sell, or empty when stock is not limited. */
    public Optional<Integer> stockAvailable() {
        return stockLimit == null ? Optional.empty() : Optional.of(Math.max(0, stockLimit - stockSold));
    }

    private static Set<PriceKey> priceKeys(List<Price> prices) {
        return prices.stream().map(Price::key).collect(Collectors.toSet());
    }

    private static void requireValidPrices(List<Price> prices) {
        if (prices.isEmpty()) {
            throw new IllegalArgumentException("prices: at least one price is required");
        }
        Set<PriceKey> seen = new HashSet<>();
        for (Price price : prices) {
            if (!seen.add(price.key())) {
                throw new IllegalArgumentException("prices: more than one price for " + price.key());
            }
        }
        boolean oneTime = prices.stream().anyMatch(p -> p.cycle() == BillingCycle.ONE_TIME);
        if (oneTime && prices.stream().anyMatch(p -> p.cycle().recurs())) {
            throw new IllegalArgumentException("prices: a product is either one-time or recurring, not both");
        }
    }

    private static void requireValidOptions(List<ConfigOption> options, Set<PriceKey> productKeys) {
        Set<String> names = new HashSet<>();
        for (ConfigOption option : options) {
            if (!names.add(option.name().strip().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("options: more than one option named '" + option.name() + "'");
            }
            Set<PriceKey> optionKeys = new HashSet<>();
            for (Price price : option.prices()) {
                if (!optionKeys.add(price.key())) {
                    throw new IllegalArgumentException("options: '" + option.name() + "' has more than one price for "
                            + price.key());
                }
            }
            if (!optionKeys.equals(productKeys)) {
                throw new IllegalArgumentException("options: '" + option.name()
                        + "' needs a price for exactly the product's cycles and currencies " + sorted(productKeys));
            }
        }
    }

    private static List<String> sorted(Set<PriceKey> keys) {
        return keys.stream().map(PriceKey::toString).sorted().toList();
    }
}
