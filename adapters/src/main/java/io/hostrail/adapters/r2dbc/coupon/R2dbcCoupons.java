package io.hostrail.adapters.r2dbc.coupon;

import io.hostrail.coupon.model.Coupon;
import io.hostrail.coupon.model.Discount;
import io.hostrail.coupon.model.Redemption;
import io.hostrail.coupon.port.out.Coupons;
import io.hostrail.shared.model.Money;
import io.hostrail.shared.model.TenantId;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Coupons in PostgreSQL: a row plus its fixed amounts and products, and a row per redemption. Pages of coupons load
 * their amounts and products with one query each for the whole page. Locks are {@code FOR NO KEY UPDATE}: they order
 * redemptions and edits of a coupon without blocking the foreign-key checks of the rows that reference it.
 */
public final class R2dbcCoupons implements Coupons {

    private static final String COLUMNS = """
            id, tenant_id, code, description, discount_kind, percent, duration, duration_cycles, max_redemptions,
            redemptions, per_customer_limit, valid_from, expires_at, active, created_at, version""";
    private static final String REDEMPTION_COLUMNS =
            "id, tenant_id, coupon_id, customer_id, subscription_id, invoice_id, redeemed_at, cycles_discounted";

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcCoupons(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The coupon row as read, before its amounts and products are attached. */
    private record Row(UUID id, TenantId tenant, String code, String description, String kind, BigDecimal percent,
            String duration, Integer cycles, Integer maxRedemptions, int redemptions, Integer perCustomerLimit,
            Instant validFrom, Instant expiresAt, boolean active, Instant createdAt, long version) {

        Coupon with(List<Money> amounts, Set<UUID> productIds) {
            Discount discount = "percent".equals(kind) ? new Discount.Percent(percent) : new Discount.FixedAmount(amounts);
            Coupon.Duration span = switch (duration) {
                case "once" -> Coupon.Duration.ONCE;
                case "forever" -> Coupon.Duration.FOREVER;
                case "repeating" -> Coupon.Duration.repeating(cycles);
                default -> throw new IllegalStateException("unknown coupon duration " + duration);
            };
            return new Coupon(id, tenant, code, description, discount, span, productIds, maxRedemptions, redemptions,
                    perCustomerLimit, validFrom, expiresAt, active, createdAt, version);
        }
    }

    // --- coupons --------------------------------------------------------------------------------------------------

    @Override
    public Mono<Coupon> create(Coupon coupon) {
        return bind(database.sql("""
                        INSERT INTO coupon (id, tenant_id, code, description, discount_kind, percent, duration,
                            duration_cycles, max_redemptions, redemptions, per_customer_limit, valid_from, expires_at,
                            active, created_at, updated_at, version)
                        VALUES (:id, :tenant, :code, :description, :kind, :percent, :duration, :cycles, :maxRedemptions,
                            :redemptions, :perCustomerLimit, :validFrom, :expiresAt, :active, :createdAt, :now, 0)
                        ON CONFLICT (tenant_id, code) DO NOTHING
                        """), coupon)
                .bind("redemptions", coupon.redemptions()).bind("createdAt", coupon.createdAt())
                .fetch().rowsUpdated()
                .flatMap(inserted -> inserted == 1 ? insertChildren(coupon).thenReturn(coupon)
                        : Mono.error(new CodeTaken(coupon.code())));
    }

    @Override
    public Mono<Coupon> find(TenantId tenant, UUID id) {
        return withChildren(byId(tenant, id, "")).next();
    }

    @Override
    public Mono<Coupon> findForUpdate(TenantId tenant, UUID id) {
        return withChildren(byId(tenant, id, " FOR NO KEY UPDATE")).next();
    }

    @Override
    public Mono<Coupon> findByCode(TenantId tenant, String code) {
        return withChildren(byCode(tenant, code, "")).next();
    }

    @Override
    public Mono<Coupon> findByCodeForUpdate(TenantId tenant, String code) {
        return withChildren(byCode(tenant, code, " FOR NO KEY UPDATE")).next();
    }

    private GenericExecuteSpec byId(TenantId tenant, UUID id, String lock) {
        return database.sql("SELECT " + COLUMNS + " FROM coupon WHERE tenant_id = :tenant AND id = :id" + lock)
                .bind("tenant", tenant.value()).bind("id", id);
    }

    private GenericExecuteSpec byCode(TenantId tenant, String code, String lock) {
        return database.sql("SELECT " + COLUMNS + " FROM coupon WHERE tenant_id = :tenant AND code = :code" + lock)
                .bind("tenant", tenant.value()).bind("code", code);
    }

    @Override
    public Flux<Coupon> list(TenantId tenant, Query query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM coupon WHERE tenant_id = :tenant");
        if (query.code() != null) {
            sql.append(" AND code = :code");
        }
        if (query.active() != null) {
            sql.append(" AND active = :active");
        }
        if (query.afterId() != null) {
            sql.append(" AND id > :after");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        GenericExecuteSpec spec = database.sql(sql.toString()).bind("tenant", tenant.value()).bind("limit", query.limit());
        if (query.code() != null) {
            spec = spec.bind("code", query.code());
        }
        if (query.active() != null) {
            spec = spec.bind("active", query.active());
        }
        if (query.afterId() != null) {
            spec = spec.bind("after", query.afterId());
        }
        return withChildren(spec);
    }

    @Override
    public Mono<Coupon> update(Coupon coupon, long expectedVersion) {
        return bind(database.sql("""
                        UPDATE coupon SET code = :code, description = :description, discount_kind = :kind,
                            percent = :percent, duration = :duration, duration_cycles = :cycles,
                            max_redemptions = :maxRedemptions, per_customer_limit = :perCustomerLimit,
                            valid_from = :validFrom, expires_at = :expiresAt, active = :active, updated_at = :now,
                            version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                        """), coupon)
                .bind("version", expectedVersion).fetch().rowsUpdated()
                .onErrorMap(DuplicateKeyException.class, duplicate -> new CodeTaken(coupon.code()))
                .filter(updated -> updated == 1)
                .flatMap(updated -> deleteChildren(coupon).then(insertChildren(coupon)).thenReturn(updated))
                // Read back rather than echoed: the count of redemptions is not this method's to write.
                .flatMap(updated -> find(coupon.tenant(), coupon.id()));
    }

    @Override
    public Mono<Boolean> countRedemption(TenantId tenant, UUID couponId) {
        return database.sql("""
                        UPDATE coupon SET redemptions = redemptions + 1
                        WHERE tenant_id = :tenant AND id = :id AND (max_redemptions IS NULL OR redemptions < max_redemptions)
                        """)
                .bind("tenant", tenant.value()).bind("id", couponId).fetch().rowsUpdated().map(updated -> updated == 1);
    }

    private GenericExecuteSpec bind(GenericExecuteSpec spec, Coupon c) {
        spec = spec.bind("id", c.id()).bind("tenant", c.tenant().value()).bind("code", c.code())
                .bind("active", c.active()).bind("now", clock.instant());
        spec = switch (c.discount()) {
            case Discount.Percent percent -> spec.bind("kind", "percent").bind("percent", percent.percent());
            case Discount.FixedAmount fixed -> spec.bind("kind", "fixed").bindNull("percent", BigDecimal.class);
        };
        spec = switch (c.duration()) {
            case Coupon.Duration.Once once -> spec.bind("duration", "once").bindNull("cycles", Integer.class);
            case Coupon.Duration.Forever forever -> spec.bind("duration", "forever").bindNull("cycles", Integer.class);
            case Coupon.Duration.Repeating repeating -> spec.bind("duration", "repeating").bind("cycles", repeating.cycles());
        };
        spec = nullable(spec, "description", c.description(), String.class);
        spec = nullable(spec, "maxRedemptions", c.maxRedemptions(), Integer.class);
        spec = nullable(spec, "perCustomerLimit", c.perCustomerLimit(), Integer.class);
        spec = nullable(spec, "validFrom", c.validFrom(), Instant.class);
        return nullable(spec, "expiresAt", c.expiresAt(), Instant.class);
    }

    private Mono<Void> deleteChildren(Coupon coupon) {
        return Flux.concat(
                        database.sql("DELETE FROM coupon_amount WHERE tenant_id = :tenant AND coupon_id = :coupon")
                                .bind("tenant", coupon.tenant().value()).bind("coupon", coupon.id()).fetch().rowsUpdated(),
                        database.sql("DELETE FROM coupon_product WHERE tenant_id = :tenant AND coupon_id = :coupon")
                                .bind("tenant", coupon.tenant().value()).bind("coupon", coupon.id()).fetch().rowsUpdated())
                .then();
    }

    private Mono<Void> insertChildren(Coupon coupon) {
        UUID tenant = coupon.tenant().value();
        List<Money> amounts = coupon.discount() instanceof Discount.FixedAmount fixed ? fixed.amounts() : List.of();
        Flux<Long> amountRows = Flux.fromIterable(amounts).concatMap(amount -> database.sql("""
                        INSERT INTO coupon_amount (tenant_id, coupon_id, currency, amount_minor)
                        VALUES (:tenant, :coupon, :currency, :amount)
                        """).bind("tenant", tenant).bind("coupon", coupon.id()).bind("currency", amount.currencyCode())
                .bind("amount", amount.minorUnits()).fetch().rowsUpdated());
        Flux<Long> productRows = Flux.fromIterable(coupon.productIds()).concatMap(product -> database.sql("""
                        INSERT INTO coupon_product (tenant_id, coupon_id, product_id) VALUES (:tenant, :coupon, :product)
                        """).bind("tenant", tenant).bind("coupon", coupon.id()).bind("product", product)
                .fetch().rowsUpdated());
        return Flux.concat(amountRows, productRows).then();
    }

    /** The coupons the query selects, each with its amounts and products, in the query's order. */
    private Flux<Coupon> withChildren(GenericExecuteSpec couponQuery) {
        return couponQuery.map(R2dbcCoupons::toRow).all().collectList().flatMapMany(rows -> {
            if (rows.isEmpty()) {
                return Flux.empty();
            }
            UUID tenant = rows.getFirst().tenant().value();
            UUID[] ids = rows.stream().map(Row::id).toArray(UUID[]::new);
            Mono<Map<UUID, List<Money>>> amounts = database.sql("""
                            SELECT coupon_id, currency, amount_minor FROM coupon_amount
                            WHERE tenant_id = :tenant AND coupon_id = ANY(:ids) ORDER BY coupon_id, currency
                            """).bind("tenant", tenant).bind("ids", ids)
                    .map(row -> Map.entry(row.get("coupon_id", UUID.class),
                            Money.ofMinor(row.get("amount_minor", Long.class), row.get("currency", String.class))))
                    .all()
                    .collect(HashMap::new, (byCoupon, entry) -> byCoupon
                            .computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(entry.getValue()));
            Mono<Map<UUID, Set<UUID>>> products = database.sql("""
                            SELECT coupon_id, product_id FROM coupon_product
                            WHERE tenant_id = :tenant AND coupon_id = ANY(:ids)
                            """).bind("tenant", tenant).bind("ids", ids)
                    .map(row -> Map.entry(row.get("coupon_id", UUID.class), row.get("product_id", UUID.class)))
                    .all()
                    .collect(HashMap::new, (byCoupon, entry) -> byCoupon
                            .computeIfAbsent(entry.getKey(), key -> new HashSet<>()).add(entry.getValue()));
            return Mono.zip(amounts, products).flatMapMany(children -> Flux.fromIterable(rows)
                    .map(row -> row.with(children.getT1().getOrDefault(row.id(), List.of()),
                            children.getT2().getOrDefault(row.id(), Set.of()))));
        });
    }

    private static Row toRow(Readable row) {
        BigDecimal percent = row.get("percent", BigDecimal.class);
        return new Row(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)), row.get("code", String.class),
                row.get("description", String.class), row.get("discount_kind", String.class), percent,
                row.get("duration", String.class), row.get("duration_cycles", Integer.class),
                row.get("max_redemptions", Integer.class), row.get("redemptions", Integer.class),
                row.get("per_customer_limit", Integer.class), row.get("valid_from", Instant.class),
                row.get("expires_at", Instant.class), row.get("active", Boolean.class), row.get("created_at", Instant.class),
                row.get("version", Long.class));
    }

    // --- redemptions ----------------------------------------------------------------------------------------------

    @Override
    public Mono<Integer> redemptionsBy(TenantId tenant, UUID couponId, UUID customerId) {
        return database.sql("""
                        SELECT count(*) AS n FROM coupon_redemption
                        WHERE tenant_id = :tenant AND coupon_id = :coupon AND customer_id = :customer
                        """)
                .bind("tenant", tenant.value()).bind("coupon", couponId).bind("customer", customerId)
                .map(row -> Math.toIntExact(row.get("n", Long.class))).one();
    }

    @Override
    public Mono<Redemption> insertRedemption(Redemption redemption) {
        GenericExecuteSpec spec = database.sql("""
                        INSERT INTO coupon_redemption (id, tenant_id, coupon_id, customer_id, subscription_id, invoice_id,
                            redeemed_at, cycles_discounted)
                        VALUES (:id, :tenant, :coupon, :customer, :subscription, :invoice, :redeemedAt, :cycles)
                        """)
                .bind("id", redemption.id()).bind("tenant", redemption.tenant().value())
                .bind("coupon", redemption.coupon().id()).bind("customer", redemption.customerId())
                .bind("redeemedAt", redemption.redeemedAt()).bind("cycles", redemption.cyclesDiscounted());
        spec = nullable(spec, "subscription", redemption.subscriptionId(), UUID.class);
        return nullable(spec, "invoice", redemption.invoiceId(), UUID.class).fetch().rowsUpdated().thenReturn(redemption);
    }

    @Override
    public Mono<Redemption> findRedemptionForUpdate(TenantId tenant, UUID redemptionId) {
        return withCoupon(database.sql("SELECT " + REDEMPTION_COLUMNS
                        + " FROM coupon_redemption WHERE tenant_id = :tenant AND id = :id FOR NO KEY UPDATE")
                .bind("tenant", tenant.value()).bind("id", redemptionId));
    }

    @Override
    public Mono<Redemption> findRedemptionOfSubscription(TenantId tenant, UUID subscriptionId) {
        return withCoupon(database.sql("SELECT " + REDEMPTION_COLUMNS
                        + " FROM coupon_redemption WHERE tenant_id = :tenant AND subscription_id = :subscription")
                .bind("tenant", tenant.value()).bind("subscription", subscriptionId));
    }

    /** A redemption row as read, before its coupon is attached. */
    private record RedemptionRow(UUID id, TenantId tenant, UUID couponId, UUID customerId, UUID subscriptionId,
            UUID invoiceId, Instant redeemedAt, int cyclesDiscounted) {

        Redemption with(Coupon coupon) {
            return new Redemption(id, tenant, coupon, customerId, subscriptionId, invoiceId, redeemedAt, cyclesDiscounted);
        }
    }

    /** The redemption the query selects, with its coupon. */
    private Mono<Redemption> withCoupon(GenericExecuteSpec redemptionQuery) {
        return redemptionQuery.map(R2dbcCoupons::toRedemptionRow).one()
                .flatMap(row -> find(row.tenant(), row.couponId()).map(row::with));
    }

    @Override
    public Mono<Boolean> updateCycles(Redemption redemption, int expectedCycles) {
        GenericExecuteSpec spec = database.sql("""
                        UPDATE coupon_redemption SET cycles_discounted = :cycles, invoice_id = :invoice
                        WHERE tenant_id = :tenant AND id = :id AND cycles_discounted = :expected
                        """)
                .bind("tenant", redemption.tenant().value()).bind("id", redemption.id())
                .bind("cycles", redemption.cyclesDiscounted()).bind("expected", expectedCycles);
        return nullable(spec, "invoice", redemption.invoiceId(), UUID.class).fetch().rowsUpdated()
                .map(updated -> updated == 1);
    }

    @Override
    public Flux<Redemption> listRedemptions(Coupon coupon, UUID afterId, int limit) {
        GenericExecuteSpec spec = database.sql("SELECT " + REDEMPTION_COLUMNS
                        + " FROM coupon_redemption WHERE tenant_id = :tenant AND coupon_id = :coupon"
                        + (afterId == null ? "" : " AND id > :after") + " ORDER BY id LIMIT :limit")
                .bind("tenant", coupon.tenant().value()).bind("coupon", coupon.id()).bind("limit", limit);
        return (afterId == null ? spec : spec.bind("after", afterId)).map(R2dbcCoupons::toRedemptionRow).all()
                .map(row -> row.with(coupon));
    }

    private static RedemptionRow toRedemptionRow(Readable row) {
        return new RedemptionRow(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("coupon_id", UUID.class), row.get("customer_id", UUID.class), row.get("subscription_id", UUID.class),
                row.get("invoice_id", UUID.class), row.get("redeemed_at", Instant.class),
                row.get("cycles_discounted", Integer.class));
    }

    private static <T> GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }
}
