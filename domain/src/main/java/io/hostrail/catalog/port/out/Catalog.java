package io.hostrail.catalog.port.out;

import io.hostrail.catalog.model.Product;
import io.hostrail.catalog.model.ProductGroup;
import io.hostrail.shared.model.TenantId;
import java.util.Collection;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Products and product groups of a tenant, with their prices, options and add-ons. */
public interface Catalog {

    Mono<ProductGroup> createGroup(ProductGroup group);

    Mono<ProductGroup> findGroup(TenantId tenant, UUID id);

    /** Groups in sort order, then name. */
    Flux<ProductGroup> listGroups(TenantId tenant, boolean includeHidden);

    /** Empty when {@code expectedVersion} no longer holds. */
    Mono<ProductGroup> updateGroup(ProductGroup group, long expectedVersion);

    Mono<Product> createProduct(Product product);

    Mono<Product> findProduct(TenantId tenant, UUID id);

    /** Those of {@code ids} that exist in the tenant. */
    Flux<Product> findProducts(TenantId tenant, Collection<UUID> ids);

    /** Products in id order after {@code afterId}, optionally of one group, kind and some statuses. */
    Flux<Product> listProducts(TenantId tenant, ProductFilter filter, UUID afterId, int limit);

    /** True when some product offers {@code id} as an add-on. */
    Mono<Boolean> isOfferedAsAddon(TenantId tenant, UUID id);

    /** Empty when {@code expectedVersion} no longer holds. */
    Mono<Product> updateProduct(Product product, long expectedVersion);

    /** Sells one unit: false, with nothing changed, when the product is sold out. Atomic under concurrent orders. */
    Mono<Boolean> takeStock(TenantId tenant, UUID productId);

    record ProductFilter(UUID groupId, Product.Kind kind, java.util.Set<Product.Status> statuses) {
    }
}
