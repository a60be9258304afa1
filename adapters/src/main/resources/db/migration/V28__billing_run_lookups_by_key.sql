-- Two costs of the billing run that grew with every invoice a tenant already had (benchmarks.md, "Table activity").

-- 1. The check that lines and taxes are added only to drafts looked their invoices up by id, next to the row-level
--    security filter on tenant_id, and the planner was free to answer it from a range of the tenant's entries in an
--    index on (tenant_id, ...): tens of millions of index entries for 100,000 invoices, more with every invoice, and
--    a plan that flipped as statistics changed (benchmarks.md, "Table activity"). Probing one invoice at a time
--    instead cost a planned statement per invoice (a fifth of a millisecond each, pg_stat_statements showed). It
--    now looks up all of a statement's invoices in one scan of the unique (tenant_id, id) key.
CREATE OR REPLACE FUNCTION invoice_detail_added_only_to_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner uuid;
    invoices uuid[];
BEGIN
    FOR owner, invoices IN SELECT tenant_id, array_agg(DISTINCT invoice_id) FROM added GROUP BY tenant_id LOOP
        IF EXISTS (SELECT 1 FROM invoice WHERE tenant_id = owner AND id = ANY (invoices) AND status <> 'draft') THEN
            RAISE EXCEPTION 'the lines and taxes of a finalized invoice cannot change';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- 2. The outbox is a queue: every row is inserted, then marked published. Until autovacuum clears the dead versions,
--    the relay's scan of the unpublished-row index steps over them, more with every batch. Vacuum it after a few
--    thousand changes rather than after a fifth of the table has changed.
ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000,
    autovacuum_analyze_scale_factor = 0.05);
