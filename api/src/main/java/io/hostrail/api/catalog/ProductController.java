package io.hostrail.api.catalog;

import io.hostrail.catalog.model.ConfigOption;
import io.hostrail.catalog.model.Price;
import io.hostrail.catalog.model.Product;
import io.hostrail.catalog.service.CatalogService;
import io.hostrail.catalog.service.CatalogService.OptionDraft;
import io.hostrail.catalog.service.CatalogService.PriceDraft;
import io.hostrail.catalog.service.CatalogService.ProductDraft;
import io.hostrail.identity.model.Principal;
import io.hostrail.identity.model.UserKind;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/products")
@Tag(name = "Catalog")
@SecurityRequirement(name = "bearer")
public class ProductController {

    record PriceBody(
            @Schema(example = "monthly", allowableValues = {"monthly", "quarterly", "semi_annual", "annual", "biennial",
                    "triennial", "one_time"}) @NotBlank String cycle,
            @Schema(example = "EUR") @NotBlank @Size(min = 3, max = 3) String currency,
            @Schema(example = "9.99", description = "Decimal in major units, with no more decimals than the currency has")
            @NotBlank @Size(max = 24) String amount,
            @Schema(example = "0.00", description = "Charged once with the first invoice; 0 when absent") @Size(max = 24)
            String setupFee) {

        PriceDraft draft() {
            return new PriceDraft(cycle, currency, amount, setupFee);
        }

        static PriceBody of(Price p) {
            return new PriceBody(p.cycle().wireName(), p.currencyCode(), p.amount().toMajorUnits().toPlainString(),
                    p.setupFee().toMajorUnits().toPlainString());
        }
    }

    record OptionBody(
            @Schema(description = "An existing option's id when updating; leave out for a new option") UUID id,
            @Schema(example = "Extra disk") @NotBlank @Size(max = 200) String name,
            @Schema(example = "GB") @Size(max = 40) String unit,
            @Schema(example = "0") @PositiveOrZero Integer minQuantity,
            @Schema(example = "100") @Min(1) Integer maxQuantity,
            @Schema(description = "Price per unit: one for each cycle and currency the product has")
            @NotNull @Size(max = 50) List<@NotNull @Valid PriceBody> prices) {

        OptionDraft draft() {
            return new OptionDraft(id, name, unit, minQuantity, maxQuantity, prices.stream().map(PriceBody::draft).toList());
        }

        static OptionBody of(ConfigOption o) {
            return new OptionBody(o.id(), o.name(), o.unit(), o.minQuantity(), o.maxQuantity(),
                    o.prices().stream().map(PriceBody::of).toList());
        }
    }

    record ProductBody(
            @Schema(description = "The product group it is shown in") UUID groupId,
            @Schema(example = "hosting", allowableValues = {"hosting", "domain", "addon", "service"}) @NotBlank String kind,
            @Schema(example = "Starter hosting") @NotBlank @Size(max = 200) String name,
            @Schema(example = "5 GB SSD, 10 mailboxes") @Size(max = 4000) String description,
            @Schema(example = "active", allowableValues = {"active", "hidden", "retired"}) String status,
            @Schema(example = "100", description = "How many may be sold; absent for no limit") @PositiveOrZero Integer stockLimit,
            @Schema(example = "starter_5gb", description = "WHM package; hosting products only") @Size(max = 64) String whmPackage,
            @Schema(example = "eu-shared", description = "Servers that may carry it; hosting products only") @Size(max = 64)
            String serverGroup,
            @NotNull @Size(min = 1, max = 50) List<@NotNull @Valid PriceBody> prices,
            @Size(max = 50) List<@NotNull @Valid OptionBody> options,
            @Schema(description = "Products of kind addon offered with this one") @Size(max = 100) List<@NotNull UUID> addonIds,
            @Schema(example = "0", description = "Required when updating: the version you read") @PositiveOrZero Long version) {

        ProductDraft draft() {
            return new ProductDraft(groupId, kind, name, description, status, stockLimit, whmPackage, serverGroup,
                    prices.stream().map(PriceBody::draft).toList(),
                    options == null ? List.of() : options.stream().map(OptionBody::draft).toList(),
                    addonIds == null ? List.of() : addonIds);
        }
    }

    record ProductResponse(UUID id, UUID groupId, String kind, String name, String description, String status,
            Integer stockLimit, int stockSold, Integer stockAvailable, boolean orderable, String whmPackage,
            String serverGroup, List<PriceBody> prices, List<OptionBody> options, List<UUID> addonIds, long version) {

        static ProductResponse of(Product p) {
            return new ProductResponse(p.id(), p.groupId(), p.kind().wireName(), p.name(), p.description(),
                    p.status().wireName(), p.stockLimit(), p.stockSold(), p.stockAvailable().orElse(null), p.isOrderable(),
                    p.provisioning() == null ? null : p.provisioning().whmPackage(),
                    p.provisioning() == null ? null : p.provisioning().serverGroup(),
                    p.prices().stream().map(PriceBody::of).toList(), p.options().stream().map(OptionBody::of).toList(),
                    p.addonIds().stream().sorted().toList(), p.version());
        }

        /** What a customer sees: no WHM package, server group or sales figures, which are the provider's business. */
        static ProductResponse storefront(Product p) {
            ProductResponse full = of(p);
            return new ProductResponse(full.id(), full.groupId(), full.kind(), full.name(), full.description(),
                    full.status(), null, 0, full.stockAvailable(), full.orderable(), null, null, full.prices(),
                    full.options(), full.addonIds(), full.version());
        }

        static ProductResponse of(Principal viewer, Product p) {
            return viewer.kind() == UserKind.CLIENT ? storefront(p) : of(p);
        }
    }

    record ProductPage(List<ProductResponse> items, String nextCursor) {
    }

    private final CatalogService catalog;

    public ProductController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('product:write')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a product", description = """
            A product has at least one price; each configurable option has a price for exactly the product's cycles and
            currencies. Amounts are decimal strings in major units ("9.99"); more decimals than the currency has are
            refused, never rounded.""")
    public Mono<ResponseEntity<ProductResponse>> create(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody ProductBody body) {
        return catalog.createProduct(actor, body.draft())
                .map(p -> ResponseEntity.created(URI.create("/api/v1/products/" + p.id())).body(ProductResponse.of(p)));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('product:read')")
    @Operation(summary = "List products", description = "Filter by group, kind and status. Pass nextCursor as after.")
    public Mono<ProductPage> list(@AuthenticationPrincipal Principal actor,
            @RequestParam(required = false) UUID groupId, @RequestParam(required = false) String kind,
            @RequestParam(required = false) String status, @RequestParam(required = false) UUID after,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        return catalog.listProducts(actor, groupId, kind, status, after, limit).map(p -> ProductResponse.of(actor, p))
                .collectList()
                .map(items -> new ProductPage(items, items.size() == limit ? items.getLast().id().toString() : null));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('product:read')")
    @Operation(summary = "Get a product with its prices, options and add-ons")
    public Mono<ProductResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return catalog.getProduct(actor, id).map(p -> ProductResponse.of(actor, p));
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('product:write')")
    @Operation(summary = "Update a product", description = """
            Send the whole product with the version you read: prices, options and add-ons are replaced together. Send an
            option's id back to keep it; subscriptions that chose it keep referring to it.""")
    public Mono<ProductResponse> update(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody ProductBody body) {
        if (body.version() == null) {
            return Mono.error(new DomainException(CatalogService.PRODUCT_INVALID, "The version is required.",
                    List.of(new FieldViolation("version", "must not be null"))));
        }
        return catalog.updateProduct(actor, id, body.draft(), body.version()).map(ProductResponse::of);
    }
}
