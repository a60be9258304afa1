-- Two costs of the billing run that grew with every invoice a tenant already had (benchmarks.md, "Table activity").

-- 1. The check that lines and taxes are added only to drafts looked their invoices up by id alone, next to the
--    row-level security filter on tenant_id; the planner was free to answer it from invoice_status_idx, reading the
--    tenant's invoices by status: 39 million index entries for 100,000 invoices. It now probes the primary key with
--    the statement's distinct invoice ids, one probe each, whatever the statistics say.
CREATE OR REPLACE FUNCTION invoice_detail_added_only_to_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids uuid[];
BEGIN
    SELECT array_agg(DISTINCT invoice_id) INTO ids FROM added;
    IF EXISTS (SELECT 1 FROM invoice WHERE id = ANY (ids) AND status <> 'draft') THEN
        RAISE EXCEPTION 'the lines and taxes of a finalized invoice cannot change';
    END IF;
    RETURN NULL;
END
$$;

-- 2. The outbox is a queue: every row is inserted, then marked published. Until autovacuum clears the dead versions,
--    the relay's scan of the unpublished-row index steps over them, more with every batch. Vacuum it after a few
--    thousand changes rather than after a fifth of the table has changed.
ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000,
    autovacuum_analyze_scale_factor = 0.05);
