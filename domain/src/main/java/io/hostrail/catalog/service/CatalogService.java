package io.hostrail.catalog.service;

import io.hostrail.audit.service.AuditTrail;
import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.catalog.model.CatalogEvents.ProductCreated;
import io.hostrail.catalog.model.CatalogEvents.ProductUpdated;
import io.hostrail.catalog.model.ConfigOption;
import io.hostrail.catalog.model.Price;
import io.hostrail.catalog.model.Product;
import io.hostrail.catalog.model.ProductGroup;
import io.hostrail.catalog.port.out.Catalog;
import io.hostrail.catalog.port.out.Catalog.ProductFilter;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.service.Actors;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.ErrorCode;
import io.hostrail.shared.error.FieldErrors;
import io.hostrail.shared.model.IdGenerator;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.port.out.DomainEvents;
import io.hostrail.shared.port.out.UnitOfWork;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tenant's catalog: product groups and products with their prices, configurable options and add-ons. A product is
 * written whole: an update replaces its prices, options and add-ons together, guarded by the version the caller read.
 */
public final class CatalogService {

    public static final ErrorCode PRODUCT_NOT_FOUND = ErrorCode.notFound("product.not_found");
    public static final ErrorCode GROUP_NOT_FOUND = ErrorCode.notFound("product_group.not_found");
    public static final ErrorCode PRODUCT_INVALID = ErrorCode.validation("product.invalid");
    public static final ErrorCode GROUP_INVALID = ErrorCode.validation("product_group.invalid");
    public static final ErrorCode STALE = ErrorCode.conflict("version.stale");

    public record GroupDraft(String name, String description, Integer sortOrder, Boolean hidden) {
    }

    public record PriceDraft(String cycle, String currency, String amount, String setupFee) {
    }

    /** {@code id} names an existing option when updating, so subscriptions that chose it keep it. */
    public record OptionDraft(UUID id, String name, String unit, Integer minQuantity, Integer maxQuantity,
            List<PriceDraft> prices) {
    }

    public record ProductDraft(UUID groupId, String kind, String name, String description, String status,
            Integer stockLimit, String whmPackage, String serverGroup, List<PriceDraft> prices, List<OptionDraft> options,
            List<UUID> addonIds) {
    }

    private final Catalog catalog;
    private final UnitOfWork unitOfWork;
    private final DomainEvents events;
    private final AuditTrail audit;
    private final IdGenerator ids;

    public CatalogService(Catalog catalog, UnitOfWork unitOfWork, DomainEvents events, AuditTrail audit, IdGenerator ids) {
        this.catalog = catalog;
        this.unitOfWork = unitOfWork;
        this.events = events;
        this.audit = audit;
        this.ids = ids;
    }

    // --- groups ---------------------------------------------------------------------------------------------------

    public Mono<ProductGroup> createGroup(Principal actor, GroupDraft draft) {
        return Mono.fromCallable(() -> group(ids.newId(), actor, draft, 0))
                .flatMap(group -> unitOfWork.inTransaction(() -> catalog.createGroup(group)
                        .flatMap(created -> audit.record(actor.tenant(), Actors.of(actor), "product_group.created",
                                "product_group", created.id().toString(), Map.of(), Map.of("name", created.name()))
                                .thenReturn(created))));
    }

    /** A client user (the storefront) sees visible groups only; staff see all. */
    public Mono<ProductGroup> getGroup(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> catalog.findGroup(actor.tenant(), id))
                .filter(group -> !isClient(actor) || !group.hidden())
                .switchIfEmpty(Mono.error(() -> groupNotFound(id)));
    }

    public Flux<ProductGroup> listGroups(Principal actor) {
        return unitOfWork.inTransactionMany(() -> catalog.listGroups(actor.tenant(), !isClient(actor)));
    }

    public Mono<ProductGroup> updateGroup(Principal actor, UUID id, GroupDraft draft, long expectedVersion) {
        return unitOfWork.inTransaction(() -> catalog.findGroup(actor.tenant(), id)
                .switchIfEmpty(Mono.error(() -> groupNotFound(id)))
                .flatMap(current -> Mono.fromCallable(() -> group(id, actor, draft, current.version()))
                        .flatMap(changed -> catalog.updateGroup(changed, expectedVersion))
                        .switchIfEmpty(Mono.error(CatalogService::stale))
                        .flatMap(updated -> audit.record(actor.tenant(), Actors.of(actor), "product_group.updated",
                                        "product_group", id.toString(), Map.of("name", current.name()),
                                        Map.of("name", updated.name()))
                                .thenReturn(updated))));
    }

    private static ProductGroup group(UUID id, Principal actor, GroupDraft draft, long version) {
        FieldErrors errors = new FieldErrors();
        String name = errors.check("name", () -> FieldErrors.required(draft.name()));
        errors.throwIfAny(GROUP_INVALID, "The product group has invalid fields.");
        return new ProductGroup(id, actor.tenant(), name, blankToNull(draft.description()),
                draft.sortOrder() == null ? 0 : draft.sortOrder(), Boolean.TRUE.equals(draft.hidden()), version);
    }

    // --- products -------------------------------------------------------------------------------------------------

    public Mono<Product> createProduct(Principal actor, ProductDraft draft) {
        UUID id = ids.newId();
        return unitOfWork.inTransaction(() -> validated(actor, id, draft, null)
                .flatMap(catalog::createProduct)
                .flatMap(created -> events.record(actor.tenant(), new ProductCreated(created.id(), created.kind().wireName(),
                                created.name(), created.status().wireName()))
                        .then(audit.record(actor.tenant(), Actors.of(actor), "product.created", "product",
                                created.id().toString(), Map.of(), summary(created)))
                        .thenReturn(created)));
    }

    /**
     * A client user (the storefront) gets active and hidden products, hidden ones being reachable by a direct link,
     * never retired ones; staff get any.
     */
    public Mono<Product> getProduct(Principal actor, UUID id) {
        return unitOfWork.inTransaction(() -> catalog.findProduct(actor.tenant(), id))
                .filter(product -> !isClient(actor) || product.status() != Product.Status.RETIRED)
                .switchIfEmpty(Mono.error(() -> productNotFound(id)));
    }

    private static boolean isClient(Principal actor) {
        return actor.kind() == io.hostrail.identity.model.UserKind.CLIENT;
    }

    public Flux<Product> listProducts(Principal actor, UUID groupId, String kind, String status, UUID afterId, int limit) {
        FieldErrors errors = new FieldErrors();
        Product.Kind wantedKind = kind == null ? null : errors.check("kind", () -> kind(kind));
        Set<Product.Status> asked = status == null ? EnumSet.allOf(Product.Status.class)
                : errors.check("status", () -> EnumSet.of(status(status)));
        // The storefront lists what is on sale: hidden products are reached by a direct link only.
        Set<Product.Status> statuses = asked == null || !isClient(actor) ? asked
                : asked.contains(Product.Status.ACTIVE) ? EnumSet.of(Product.Status.ACTIVE) : EnumSet.noneOf(Product.Status.class);
        if (statuses != null && statuses.isEmpty()) {
            return Flux.empty();
        }
        try {
            errors.throwIfAny(PRODUCT_INVALID, "The filter has invalid values.");
        } catch (DomainException e) {
            return Flux.error(e);
        }
        return unitOfWork.inTransactionMany(() -> catalog.listProducts(actor.tenant(),
                new ProductFilter(groupId, wantedKind, statuses), afterId, limit));
    }

    public Mono<Product> updateProduct(Principal actor, UUID id, ProductDraft draft, long expectedVersion) {
        return unitOfWork.inTransaction(() -> catalog.findProduct(actor.tenant(), id)
                .switchIfEmpty(Mono.error(() -> productNotFound(id)))
                .flatMap(current -> validated(actor, id, draft, current)
                        .flatMap(changed -> stillAnAddonIfOffered(current, changed))
                        .flatMap(changed -> catalog.updateProduct(changed, expectedVersion))
                        .switchIfEmpty(Mono.error(CatalogService::stale))
                        .flatMap(updated -> events.record(actor.tenant(), new ProductUpdated(updated.id(),
                                        updated.status().wireName(), updated.version()))
                                .then(audit.record(actor.tenant(), Actors.of(actor), "product.updated", "product",
                                        id.toString(), summary(current), summary(updated)))
                                .thenReturn(updated))));
    }

    /** Products offer only add-ons: one that others offer stays an add-on until they stop offering it. */
    private Mono<Product> stillAnAddonIfOffered(Product current, Product changed) {
        if (current.kind() != Product.Kind.ADDON || changed.kind() == Product.Kind.ADDON) {
            return Mono.just(changed);
        }
        return catalog.isOfferedAsAddon(changed.tenant(), changed.id()).flatMap(offered -> offered
                ? Mono.error(new DomainException(PRODUCT_INVALID, "The product is offered as an add-on by other products.",
                        List.of(new DomainException.FieldViolation("kind",
                                "stays addon while other products offer it; remove it from their addonIds first"))))
                : Mono.just(changed));
    }

    /**
     * The product the draft describes, with its group and add-ons checked against the tenant's catalog. Option ids
     * sent back on an update must be the product's own; new options get new ids.
     */
    private Mono<Product> validated(Principal actor, UUID id, ProductDraft draft, Product current) {
        FieldErrors errors = new FieldErrors();
        Product.Kind kind = errors.check("kind", () -> kind(draft.kind()));
        String name = errors.check("name", () -> FieldErrors.required(draft.name()));
        Product.Status status = draft.status() == null ? Product.Status.ACTIVE : errors.check("status", () -> status(draft.status()));
        if (draft.stockLimit() != null && draft.stockLimit() < 0) {
            errors.add("stockLimit", "must not be negative");
        }
        Product.Provisioning provisioning = kind != Product.Kind.HOSTING ? null : errors.check("whmPackage",
                    () -> new Product.Provisioning(draft.whmPackage(), blankToNull(draft.serverGroup())));
        if (kind != null && kind != Product.Kind.HOSTING && (blankToNull(draft.whmPackage()) != null || blankToNull(draft.serverGroup()) != null)) {
            errors.add("whmPackage", "only hosting products are provisioned on a WHM package");
        }
        List<Price> prices = prices("prices", draft.prices(), errors);
        Set<UUID> knownOptionIds = current == null ? Set.of()
                : current.options().stream().map(ConfigOption::id).collect(Collectors.toSet());
        List<ConfigOption> options = new ArrayList<>();
        List<OptionDraft> optionDrafts = draft.options() == null ? List.of() : draft.options();
        Set<UUID> optionIdsSent = new HashSet<>();
        for (int i = 0; i < optionDrafts.size(); i++) {
            OptionDraft o = optionDrafts.get(i);
            String at = "options[" + i + "]";
            if (o.id() != null && !knownOptionIds.contains(o.id())) {
                errors.add(at + ".id", "is not an option of this product; leave it out for a new option");
                continue;
            }
            if (o.id() != null && !optionIdsSent.add(o.id())) {
                errors.add(at + ".id", "names the same option as an earlier one");
                continue;
            }
            List<Price> optionPrices = prices(at + ".prices", o.prices(), errors);
            ConfigOption option = errors.check(at, () -> new ConfigOption(o.id() == null ? ids.newId() : o.id(),
                    FieldErrors.required(o.name()), blankToNull(o.unit()), o.minQuantity() == null ? 0 : o.minQuantity(),
                    o.maxQuantity() == null ? 1 : o.maxQuantity(), optionPrices));
            if (option != null) {
                options.add(option);
            }
        }
        Set<UUID> addonIds = new LinkedHashSet<>(draft.addonIds() == null ? List.of() : draft.addonIds());
        Set<UUID> referenced = new HashSet<>(addonIds);
        referenced.remove(id);
        Mono<Map<UUID, Product>> addons = referenced.isEmpty() ? Mono.just(Map.of())
                : catalog.findProducts(actor.tenant(), referenced).collectMap(Product::id, Function.identity());
        Mono<Boolean> groupExists = draft.groupId() == null ? Mono.just(true)
                : catalog.findGroup(actor.tenant(), draft.groupId()).hasElement();
        return Mono.zip(addons, groupExists).map(found -> {
            if (!found.getT2()) {
                errors.add("groupId", "no product group " + draft.groupId() + " exists");
            }
            for (UUID addonId : addonIds) {
                Product addon = found.getT1().get(addonId);
                if (addon == null && !addonId.equals(id)) {
                    errors.add("addonIds", "no product " + addonId + " exists");
                } else if (addon != null && addon.kind() != Product.Kind.ADDON) {
                    errors.add("addonIds", "product " + addonId + " is not an add-on");
                }
            }
            errors.throwIfAny(PRODUCT_INVALID, "The product has invalid fields.");
            try {
                return new Product(id, actor.tenant(), draft.groupId(), kind, name, blankToNull(draft.description()), status,
                        draft.stockLimit(), current == null ? 0 : current.stockSold(), provisioning, prices, options, addonIds,
                        current == null ? 0 : current.version());
            } catch (IllegalArgumentException e) {
                // Only the add-on rules ("a product cannot be its own add-on") do not name their field.
                errors.addRuleViolation(e, "addonIds");
                errors.throwIfAny(PRODUCT_INVALID, "The product has invalid fields.");
                throw e;
            }
        });
    }

    private static List<Price> prices(String at, List<PriceDraft> drafts, FieldErrors errors) {
        List<Price> prices = new ArrayList<>();
        List<PriceDraft> list = drafts == null ? List.of() : drafts;
        for (int i = 0; i < list.size(); i++) {
            PriceDraft p = list.get(i);
            String here = at + "[" + i + "]";
            BillingCycle cycle = errors.check(here + ".cycle", () -> BillingCycle.fromWire(p.cycle()));
            Money amount = errors.check(here + ".amount", () -> Money.parse(FieldErrors.required(p.amount()), p.currency()));
            Money setupFee = errors.check(here + ".setupFee",
                    () -> Money.parse(p.setupFee() == null ? "0" : p.setupFee(), p.currency()));
            if (cycle != null && amount != null && setupFee != null) {
                Price price = errors.check(here, () -> new Price(cycle, amount, setupFee));
                if (price != null) {
                    prices.add(price);
                }
            }
        }
        return prices;
    }

    private static Product.Kind kind(String value) {
        String wire = FieldErrors.required(value);
        try {
            return Product.Kind.valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a product kind; use hosting, domain, addon or service");
        }
    }

    private static Product.Status status(String value) {
        String wire = FieldErrors.required(value);
        try {
            return Product.Status.valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a product status; use active, hidden or retired");
        }
    }

    private static Map<String, String> summary(Product product) {
        return Map.of("name", product.name(), "status", product.status().wireName(), "prices",
                product.prices().stream().map(p -> p.key() + "=" + p.amount().toMajorUnits().toPlainString())
                        .collect(Collectors.joining(", ")));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static DomainException stale() {
        return new DomainException(STALE, "The item was changed by someone else meanwhile; reload it and try again.");
    }

    private static DomainException productNotFound(UUID id) {
        return new DomainException(PRODUCT_NOT_FOUND, "No product " + id + " exists.");
    }

    private static DomainException groupNotFound(UUID id) {
        return new DomainException(GROUP_NOT_FOUND, "No product group " + id + " exists.");
    }
}
