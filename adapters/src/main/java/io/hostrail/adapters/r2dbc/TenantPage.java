package io.hostrail.adapters.r2dbc;

import io.hostrail.shared.model.TenantId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * A page of a tenant's rows in id order, after a cursor, narrowed by the filters that are given: each
 * {@link #where} adds its condition and binding only when its value is not null, so a listing states its filters once
 * instead of testing each twice (once for the SQL, once for the binding).
 */
public final class TenantPage {

    private final StringBuilder sql;
    private final Map<String, Object> bindings = new LinkedHashMap<>();

    private TenantPage(String columns, String table, TenantId tenant) {
        sql = new StringBuilder("SELECT " + columns + " FROM " + table + " WHERE tenant_id = :tenant");
        bindings.put("tenant", tenant.value());
    }

    public static TenantPage of(String columns, String table, TenantId tenant) {
        return new TenantPage(columns, table, tenant);
    }

    /** {@code condition} (naming {@code :name}) with {@code value} bound, when the value is not null. */
    public TenantPage where(String condition, String name, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            bindings.put(name, value);
        }
        return this;
    }

    /** The statement for up to {@code limit} rows with ids after {@code afterId} (from the start when null). */
    public GenericExecuteSpec after(DatabaseClient database, UUID afterId, int limit) {
        where("id > :after", "after", afterId);
        GenericExecuteSpec spec = database.sql(sql + " ORDER BY id LIMIT :limit").bind("limit", limit);
        for (Map.Entry<String, Object> binding : bindings.entrySet()) {
            spec = spec.bind(binding.getKey(), binding.getValue());
        }
        return spec;
    }
}
