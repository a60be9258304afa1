package io.hostrail.adapters.r2dbc.catalog;

import io.hostrail.catalog.model.BillingCycle;
import io.hostrail.catalog.model.ConfigOption;
import io.hostrail.catalog.model.Price;
import io.hostrail.catalog.model.Product;
import io.hostrail.catalog.model.ProductGroup;
import io.hostrail.catalog.port.out.Catalog;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The catalog in PostgreSQL. A product is a row plus child rows (prices, options and their prices, add-ons); pages of
 * products load their children with one query per child table for the whole page, not one per product.
 */
public final class R2dbcCatalog implements Catalog {

    private static final String GROUP_COLUMNS = "id, tenant_id, name, description, sort_order, hidden, version";
    private static final String PRODUCT_COLUMNS = """
            id, tenant_id, group_id, kind, name, description, status, stock_limit, stock_sold, whm_package, server_group,
            version""";

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcCatalog(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    // --- groups ---------------------------------------------------------------------------------------------------

    @Override
    public Mono<ProductGroup> createGroup(ProductGroup group) {
        return bindGroup(database.sql("""
                INSERT INTO product_group (id, tenant_id, name, description, sort_order, hidden, created_at, updated_at)
                VALUES (:id, :tenant, :name, :description, :sortOrder, :hidden, :now, :now)
                """), group).fetch().rowsUpdated().thenReturn(group);
    }

    @Override
    public Mono<ProductGroup> findGroup(TenantId tenant, UUID id) {
        return database.sql("SELECT " + GROUP_COLUMNS + " FROM product_group WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcCatalog::toGroup).one();
    }

    @Override
    public Flux<ProductGroup> listGroups(TenantId tenant, boolean includeHidden) {
        return database.sql("SELECT " + GROUP_COLUMNS + " FROM product_group WHERE tenant_id = :tenant"
                        + (includeHidden ? "" : " AND NOT hidden") + " ORDER BY sort_order, name, id")
                .bind("tenant", tenant.value()).map(R2dbcCatalog::toGroup).all();
    }

    @Override
    public Mono<ProductGroup> updateGroup(ProductGroup group, long expectedVersion) {
        return bindGroup(database.sql("""
                        UPDATE product_group SET name = :name, description = :description, sort_order = :sortOrder,
                            hidden = :hidden, updated_at = :now, version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                        """), group)
                .bind("version", expectedVersion).fetch().rowsUpdated().filter(updated -> updated == 1)
                .map(updated -> new ProductGroup(group.id(), group.tenant(), group.name(), group.description(),
                        group.sortOrder(), group.hidden(), expectedVersion + 1));
    }

    private GenericExecuteSpec bindGroup(GenericExecuteSpec spec, ProductGroup group) {
        return nullable(spec.bind("id", group.id()).bind("tenant", group.tenant().value()).bind("name", group.name())
                .bind("sortOrder", group.sortOrder()).bind("hidden", group.hidden()).bind("now", clock.instant()),
                "description", group.description(), String.class);
    }

    private static ProductGroup toGroup(Readable row) {
        return new ProductGroup(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("name", String.class), row.get("description", String.class), row.get("sort_order", Integer.class),
                row.get("hidden", Boolean.class), row.get("version", Long.class));
    }

    // --- products -------------------------------------------------------------------------------------------------

    @Override
    public Mono<Product> createProduct(Product product) {
        return bindProduct(database.sql("""
                        INSERT INTO product (id, tenant_id, group_id, kind, name, description, status, stock_limit,
                            stock_sold, whm_package, server_group, created_at, updated_at)
                        VALUES (:id, :tenant, :groupId, :kind, :name, :description, :status, :stockLimit, :stockSold,
                            :whmPackage, :serverGroup, :now, :now)
                        """), product)
                .bind("stockSold", product.stockSold())
                .fetch().rowsUpdated()
                .then(insertChildren(product))
                .thenReturn(product);
    }

    @Override
    public Mono<Product> findProduct(TenantId tenant, UUID id) {
        return withChildren(database.sql("SELECT " + PRODUCT_COLUMNS + " FROM product WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id)).next();
    }

    @Override
    public Flux<Product> findProducts(TenantId tenant, Collection<UUID> ids) {
        return withChildren(database.sql("SELECT " + PRODUCT_COLUMNS
                        + " FROM product WHERE tenant_id = :tenant AND id = ANY(:ids) ORDER BY id")
                .bind("tenant", tenant.value()).bind("ids", ids.toArray(UUID[]::new)));
    }

    @Override
    public Flux<Product> listProducts(TenantId tenant, ProductFilter filter, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + PRODUCT_COLUMNS
                + " FROM product WHERE tenant_id = :tenant AND status = ANY(:statuses)");
        if (filter.groupId() != null) {
            sql.append(" AND group_id = :groupId");
        }
        if (filter.kind() != null) {
            sql.append(" AND kind = :kind");
        }
        if (afterId != null) {
            sql.append(" AND id > :after");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        GenericExecuteSpec spec = database.sql(sql.toString()).bind("tenant", tenant.value()).bind("limit", limit)
                .bind("statuses", filter.statuses().stream().map(Product.Status::wireName).toArray(String[]::new));
        if (filter.groupId() != null) {
            spec = spec.bind("groupId", filter.groupId());
        }
        if (filter.kind() != null) {
            spec = spec.bind("kind", filter.kind().wireName());
        }
        if (afterId != null) {
            spec = spec.bind("after", afterId);
        }
        return withChildren(spec);
    }

    @Override
    public Mono<Boolean> isOfferedAsAddon(TenantId tenant, UUID id) {
        return database.sql("SELECT EXISTS (SELECT 1 FROM product_addon WHERE tenant_id = :tenant AND addon_id = :id) AS offered")
                .bind("tenant", tenant.value()).bind("id", id).map(row -> row.get("offered", Boolean.class)).one();
    }

    @Override
    public Mono<Product> updateProduct(Product product, long expectedVersion) {
        return bindProduct(database.sql("""
                        UPDATE product SET group_id = :groupId, kind = :kind, name = :name, description = :description,
                            status = :status, stock_limit = :stockLimit, whm_package = :whmPackage,
                            server_group = :serverGroup, updated_at = :now, version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                        """), product)
                .bind("version", expectedVersion).fetch().rowsUpdated()
                .filter(updated -> updated == 1)
                .flatMap(updated -> deleteChildren(product).then(insertChildren(product)).thenReturn(updated))
                .map(updated -> new Product(product.id(), product.tenant(), product.groupId(), product.kind(), product.name(),
                        product.description(), product.status(), product.stockLimit(), product.stockSold(),
                        product.provisioning(), product.prices(), product.options(), product.addonIds(),
                        expectedVersion + 1));
    }

    private GenericExecuteSpec bindProduct(GenericExecuteSpec spec, Product p) {
        spec = spec.bind("id", p.id()).bind("tenant", p.tenant().value()).bind("kind", p.kind().wireName())
                .bind("name", p.name()).bind("status", p.status().wireName())
                .bind("now", clock.instant());
        spec = nullable(spec, "groupId", p.groupId(), UUID.class);
        spec = nullable(spec, "description", p.description(), String.class);
        spec = nullable(spec, "stockLimit", p.stockLimit(), Integer.class);
        spec = nullable(spec, "whmPackage", p.provisioning() == null ? null : p.provisioning().whmPackage(), String.class);
        return nullable(spec, "serverGroup", p.provisioning() == null ? null : p.provisioning().serverGroup(), String.class);
    }

    private Mono<Void> deleteChildren(Product product) {
        // Option prices and prices go with their parents (ON DELETE CASCADE would also do; this keeps it explicit).
        return Flux.concat(
                        statement("DELETE FROM product_price WHERE tenant_id = :tenant AND product_id = :product", product),
                        statement("DELETE FROM config_option WHERE tenant_id = :tenant AND product_id = :product", product),
                        statement("DELETE FROM product_addon WHERE tenant_id = :tenant AND product_id = :product", product))
                .then();
    }

    private Mono<Long> statement(String sql, Product product) {
        return database.sql(sql).bind("tenant", product.tenant().value()).bind("product", product.id()).fetch().rowsUpdated();
    }

    private Mono<Void> insertChildren(Product product) {
        UUID tenant = product.tenant().value();
        Flux<Long> prices = Flux.fromIterable(product.prices()).concatMap(price -> bindPrice(database.sql("""
                INSERT INTO product_price (tenant_id, product_id, cycle, currency, amount_minor, setup_fee_minor)
                VALUES (:tenant, :owner, :cycle, :currency, :amount, :setupFee)
                """), tenant, product.id(), price).fetch().rowsUpdated());
        List<ConfigOption> options = product.options();
        Flux<Long> optionRows = Flux.range(0, options.size()).concatMap(position -> {
            ConfigOption option = options.get(position);
            GenericExecuteSpec insert = database.sql("""
                            INSERT INTO config_option (id, tenant_id, product_id, position, name, unit, min_quantity, max_quantity)
                            VALUES (:id, :tenant, :product, :position, :name, :unit, :min, :max)
                            """).bind("id", option.id()).bind("tenant", tenant).bind("product", product.id())
                    .bind("position", position).bind("name", option.name()).bind("min", option.minQuantity())
                    .bind("max", option.maxQuantity());
            return nullable(insert, "unit", option.unit(), String.class).fetch().rowsUpdated()
                    .thenMany(Flux.fromIterable(option.prices()).concatMap(price -> bindPrice(database.sql("""
                            INSERT INTO config_option_price (tenant_id, option_id, cycle, currency, amount_minor, setup_fee_minor)
                            VALUES (:tenant, :owner, :cycle, :currency, :amount, :setupFee)
                            """), tenant, option.id(), price).fetch().rowsUpdated()));
        });
        Flux<Long> addons = Flux.fromIterable(product.addonIds()).concatMap(addon -> database.sql("""
                        INSERT INTO product_addon (tenant_id, product_id, addon_id) VALUES (:tenant, :product, :addon)
                        """).bind("tenant", tenant).bind("product", product.id()).bind("addon", addon)
                .fetch().rowsUpdated());
        return Flux.concat(prices, optionRows, addons).then();
    }

    private static GenericExecuteSpec bindPrice(GenericExecuteSpec spec, UUID tenant, UUID owner, Price price) {
        return spec.bind("tenant", tenant).bind("owner", owner).bind("cycle", price.cycle().wireName())
                .bind("currency", price.currencyCode()).bind("amount", price.amount().minorUnits())
                .bind("setupFee", price.setupFee().minorUnits());
    }

    private record ProductRow(UUID id, TenantId tenant, UUID groupId, Product.Kind kind, String name, String description,
            Product.Status status, Integer stockLimit, int stockSold, Product.Provisioning provisioning, long version) {
    }

    private record OwnedPrice(UUID owner, Price price) {
    }

    private record OptionRow(UUID productId, UUID id, String name, String unit, int min, int max) {
    }

    /** The products the query selects, each with its children, in the query's order. */
    private Flux<Product> withChildren(GenericExecuteSpec productQuery) {
        return productQuery.map(R2dbcCatalog::toProductRow).all().collectList().flatMapMany(rows -> {
            if (rows.isEmpty()) {
                return Flux.empty();
            }
            UUID tenant = rows.getFirst().tenant().value();
            UUID[] ids = rows.stream().map(ProductRow::id).toArray(UUID[]::new);
            Mono<List<OwnedPrice>> prices = database.sql("""
                            SELECT product_id AS owner, cycle, currency, amount_minor, setup_fee_minor FROM product_price
                            WHERE tenant_id = :tenant AND product_id = ANY(:ids) ORDER BY product_id, cycle, currency
                            """).bind("tenant", tenant).bind("ids", ids).map(R2dbcCatalog::toOwnedPrice).all().collectList();
            Mono<List<OptionRow>> options = database.sql("""
                            SELECT product_id, id, name, unit, min_quantity, max_quantity FROM config_option
                            WHERE tenant_id = :tenant AND product_id = ANY(:ids) ORDER BY product_id, position
                            """).bind("tenant", tenant).bind("ids", ids)
                    .map(row -> new OptionRow(row.get("product_id", UUID.class), row.get("id", UUID.class),
                            row.get("name", String.class), row.get("unit", String.class),
                            row.get("min_quantity", Integer.class), row.get("max_quantity", Integer.class)))
                    .all().collectList();
            Mono<List<OwnedPrice>> optionPrices = database.sql("""
                            SELECT p.option_id AS owner, p.cycle, p.currency, p.amount_minor, p.setup_fee_minor
                            FROM config_option_price p JOIN config_option o ON o.id = p.option_id
                            WHERE o.tenant_id = :tenant AND o.product_id = ANY(:ids) ORDER BY p.option_id, p.cycle, p.currency
                            """).bind("tenant", tenant).bind("ids", ids).map(R2dbcCatalog::toOwnedPrice).all().collectList();
            Mono<List<UUID[]>> addons = database.sql("""
                            SELECT product_id, addon_id FROM product_addon
                            WHERE tenant_id = :tenant AND product_id = ANY(:ids) ORDER BY product_id, addon_id
                            """).bind("tenant", tenant).bind("ids", ids)
                    .map(row -> new UUID[] {row.get("product_id", UUID.class), row.get("addon_id", UUID.class)})
                    .all().collectList();
            return Mono.zip(prices, options, optionPrices, addons).flatMapMany(children -> {
                Map<UUID, List<Price>> pricesByOwner = byOwner(children.getT1());
                Map<UUID, List<Price>> optionPricesByOwner = byOwner(children.getT3());
                Map<UUID, List<ConfigOption>> optionsByProduct = new HashMap<>();
                for (OptionRow o : children.getT2()) {
                    optionsByProduct.computeIfAbsent(o.productId(), key -> new ArrayList<>()).add(new ConfigOption(o.id(),
                            o.name(), o.unit(), o.min(), o.max(), optionPricesByOwner.getOrDefault(o.id(), List.of())));
                }
                Map<UUID, Set<UUID>> addonsByProduct = new HashMap<>();
                for (UUID[] pair : children.getT4()) {
                    addonsByProduct.computeIfAbsent(pair[0], key -> new LinkedHashSet<>()).add(pair[1]);
                }
                return Flux.fromIterable(rows).map(r -> new Product(r.id(), r.tenant(), r.groupId(), r.kind(), r.name(),
                        r.description(), r.status(), r.stockLimit(), r.stockSold(), r.provisioning(),
                        pricesByOwner.getOrDefault(r.id(), List.of()), optionsByProduct.getOrDefault(r.id(), List.of()),
                        addonsByProduct.getOrDefault(r.id(), Set.of()), r.version()));
            });
        });
    }

    private static Map<UUID, List<Price>> byOwner(List<OwnedPrice> prices) {
        Map<UUID, List<Price>> byOwner = new HashMap<>();
        prices.forEach(p -> byOwner.computeIfAbsent(p.owner(), key -> new ArrayList<>()).add(p.price()));
        return byOwner;
    }

    private static OwnedPrice toOwnedPrice(Readable row) {
        String currency = row.get("currency", String.class);
        return new OwnedPrice(row.get("owner", UUID.class), new Price(BillingCycle.fromWire(row.get("cycle", String.class)),
                Money.ofMinor(row.get("amount_minor", Long.class), currency),
                Money.ofMinor(row.get("setup_fee_minor", Long.class), currency)));
    }

    private static ProductRow toProductRow(Readable row) {
        String whmPackage = row.get("whm_package", String.class);
        return new ProductRow(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("group_id", UUID.class), Product.Kind.valueOf(row.get("kind", String.class).toUpperCase(Locale.ROOT)),
                row.get("name", String.class), row.get("description", String.class),
                Product.Status.valueOf(row.get("status", String.class).toUpperCase(Locale.ROOT)),
                row.get("stock_limit", Integer.class), row.get("stock_sold", Integer.class),
                whmPackage == null ? null : new Product.Provisioning(whmPackage, row.get("server_group", String.class)),
                row.get("version", Long.class));
    }

    private static <T> GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    @Override
    public Mono<Boolean> takeStock(TenantId tenant, UUID productId) {
        return database.sql("""
                        UPDATE product SET stock_sold = stock_sold + 1
                        WHERE tenant_id = :tenant AND id = :id AND (stock_limit IS NULL OR stock_sold < stock_limit)
                        """)
                .bind("tenant", tenant.value()).bind("id", productId).fetch().rowsUpdated().map(updated -> updated == 1);
    }
}
