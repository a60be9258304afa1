-- Two costs of the billing run that grew with every invoice a tenant already had (benchmarks.md, "Table activity").

-- 1. The check that lines and taxes are added only to drafts looked their invoices up by id next to the row-level
--    security filter on tenant_id, and the planner was free to answer it from an index on (tenant_id, ...), reading
--    the tenant's invoices: 39 million index entries for 100,000 invoices, more with every invoice, and with the plan
--    flipping as statistics changed (benchmarks.md, "Table activity"). It now probes the primary key once per distinct
--    invoice of the statement: an equality on a unique key, which the planner prefers to any range of the tenant's rows.
CREATE OR REPLACE FUNCTION invoice_detail_added_only_to_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    added_to uuid;
BEGIN
    FOR added_to IN SELECT DISTINCT invoice_id FROM added LOOP
        IF EXISTS (SELECT 1 FROM invoice WHERE id = added_to AND status <> 'draft') THEN
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
