package io.hostrail.api.catalog;

import io.hostrail.catalog.model.ProductGroup;
import io.hostrail.catalog.service.CatalogService;
import io.hostrail.catalog.service.CatalogService.GroupDraft;
import io.hostrail.identity.model.Principal;
import io.hostrail.shared.error.DomainException;
import io.hostrail.shared.error.DomainException.FieldViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/product-groups")
@Tag(name = "Catalog", description = "Product groups, products, prices per cycle and currency, options and add-ons.")
@SecurityRequirement(name = "bearer")
public class ProductGroupController {

    record GroupBody(@Schema(example = "Shared hosting") @NotBlank @Size(max = 200) String name,
            @Schema(example = "cPanel hosting for small sites") @Size(max = 2000) String description,
            @Schema(example = "10") Integer sortOrder,
            @Schema(example = "false", description = "Hidden groups are not shown in the storefront") Boolean hidden,
            @Schema(example = "0", description = "Required when updating: the version you read") @PositiveOrZero Long version) {

        GroupDraft draft() {
            return new GroupDraft(name, description, sortOrder, hidden);
        }
    }

    record GroupResponse(UUID id, String name, String description, int sortOrder, boolean hidden, long version) {

        static GroupResponse of(ProductGroup g) {
            return new GroupResponse(g.id(), g.name(), g.description(), g.sortOrder(), g.hidden(), g.version());
        }
    }

    record GroupList(List<GroupResponse> items) {
    }

    private final CatalogService catalog;

    public ProductGroupController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @PostMapping
    @PreAuthorize("hasAuthority('product:write')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a product group")
    public Mono<ResponseEntity<GroupResponse>> create(@AuthenticationPrincipal Principal actor,
            @Valid @RequestBody GroupBody body) {
        return catalog.createGroup(actor, body.draft())
                .map(g -> ResponseEntity.created(URI.create("/api/v1/product-groups/" + g.id())).body(GroupResponse.of(g)));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('product:read')")
    @Operation(summary = "List product groups", description = "In storefront order: sort order, then name.")
    public Mono<GroupList> list(@AuthenticationPrincipal Principal actor) {
        return catalog.listGroups(actor).map(GroupResponse::of).collectList().map(GroupList::new);
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('product:read')")
    @Operation(summary = "Get a product group")
    public Mono<GroupResponse> get(@AuthenticationPrincipal Principal actor, @PathVariable UUID id) {
        return catalog.getGroup(actor, id).map(GroupResponse::of);
    }

    @PutMapping("/{id}")
    @PreAuthorize("hasAuthority('product:write')")
    @Operation(summary = "Update a product group", description = "Send the whole group with the version you read.")
    public Mono<GroupResponse> update(@AuthenticationPrincipal Principal actor, @PathVariable UUID id,
            @Valid @RequestBody GroupBody body) {
        if (body.version() == null) {
            return Mono.error(new DomainException(CatalogService.GROUP_INVALID, "The version is required.",
                    List.of(new FieldViolation("version", "must not be null"))));
        }
        return catalog.updateGroup(actor, id, body.draft(), body.version()).map(GroupResponse::of);
    }
}
