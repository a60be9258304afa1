package io.hostrail.adapters.r2dbc.tax;

import io.hostrail.shared.model.TenantId;
import io.hostrail.tax.model.TaxRate;
import io.hostrail.tax.model.TaxRule;
import io.hostrail.tax.port.out.TaxRules;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public final class R2dbcTaxRules implements TaxRules {

    private static final String COLUMNS = "id, tenant_id, name, country, region, percent, compound, sequence, version";

    private final DatabaseClient database;
    private final Clock clock;

    public R2dbcTaxRules(DatabaseClient database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Mono<TaxRule> create(TaxRule rule) {
        return bind(database.sql("""
                INSERT INTO tax_rule (id, tenant_id, name, country, region, percent, compound, sequence, created_at, updated_at)
                VALUES (:id, :tenant, :name, :country, :region, :percent, :compound, :sequence, :now, :now)
                """), rule).fetch().rowsUpdated().thenReturn(rule);
    }

    @Override
    public Mono<TaxRule> find(TenantId tenant, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM tax_rule WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).map(R2dbcTaxRules::toRule).one();
    }

    @Override
    public Flux<TaxRule> list(TenantId tenant, String country) {
        var spec = database.sql("SELECT " + COLUMNS + " FROM tax_rule WHERE tenant_id = :tenant"
                + (country == null ? "" : " AND country = :country") + " ORDER BY country, region NULLS FIRST, sequence, id")
                .bind("tenant", tenant.value());
        return (country == null ? spec : spec.bind("country", country)).map(R2dbcTaxRules::toRule).all();
    }

    @Override
    public Mono<TaxRule> update(TaxRule rule, long expectedVersion) {
        return bind(database.sql("""
                        UPDATE tax_rule SET name = :name, country = :country, region = :region, percent = :percent,
                            compound = :compound, sequence = :sequence, updated_at = :now, version = version + 1
                        WHERE tenant_id = :tenant AND id = :id AND version = :version
                        """), rule)
                .bind("version", expectedVersion).fetch().rowsUpdated().filter(updated -> updated == 1)
                .map(updated -> new TaxRule(rule.id(), rule.tenant(), rule.country(), rule.region(), rule.rate(),
                        rule.sequence(), expectedVersion + 1));
    }

    @Override
    public Mono<Boolean> delete(TenantId tenant, UUID id) {
        return database.sql("DELETE FROM tax_rule WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenant.value()).bind("id", id).fetch().rowsUpdated().map(deleted -> deleted == 1);
    }

    private GenericExecuteSpec bind(GenericExecuteSpec spec, TaxRule rule) {
        spec = spec.bind("id", rule.id()).bind("tenant", rule.tenant().value()).bind("name", rule.rate().name())
                .bind("country", rule.country()).bind("percent", rule.rate().percent())
                .bind("compound", rule.rate().compound()).bind("sequence", rule.sequence()).bind("now", clock.instant());
        return rule.region() == null ? spec.bindNull("region", String.class) : spec.bind("region", rule.region());
    }

    private static TaxRule toRule(Readable row) {
        return new TaxRule(row.get("id", UUID.class), new TenantId(row.get("tenant_id", UUID.class)),
                row.get("country", String.class), row.get("region", String.class),
                new TaxRate(row.get("name", String.class), row.get("percent", BigDecimal.class).stripTrailingZeros(),
                        row.get("compound", Boolean.class)),
                row.get("sequence", Integer.class), row.get("version", Long.class));
    }
}
