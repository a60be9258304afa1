-- The billing run issues invoices in batches of hundreds, each table written with one statement per batch (ADR 0008).
-- The database's guards that ran once per row now run once per statement, with the same guarantees.

-- The ledger balances: checked once per INSERT statement instead of once per entry at commit (100,000 invoices were
-- 300,000 deferred checks, each summing its transaction again). The check is that what the statement adds balances for
-- every transaction and currency it touches. Every transaction balanced before the statement (entries are never changed
-- or deleted, and every earlier statement passed this check or the deferred one before it), so the statement leaves
-- them all balanced exactly when its own entries balance: an unbalanced transaction still cannot commit. It reads
-- nothing but the statement's own rows, so it costs the same whatever the ledger's size. All of a transaction's
-- entries are written in one statement.
DROP TRIGGER ledger_entry_balanced ON ledger_entry;
DROP FUNCTION ledger_transaction_balances();
CREATE FUNCTION ledger_entries_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced record;
BEGIN
    SELECT transaction_id, currency, sum(debit_minor) AS debits, sum(credit_minor) AS credits INTO unbalanced
    FROM added GROUP BY transaction_id, currency HAVING sum(debit_minor) <> sum(credit_minor)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance in %: debits %, credits %',
            unbalanced.transaction_id, unbalanced.currency, unbalanced.debits, unbalanced.credits;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_balance();

-- An invoice's lines and taxes are written before the invoice row when it is created already finalized, so their
-- foreign key to it is checked at commit (like the billed period's, V17). Cascading deletes of drafts are unchanged:
-- referential actions are never deferred.
ALTER TABLE invoice_line ALTER CONSTRAINT invoice_line_tenant_id_invoice_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE invoice_tax ALTER CONSTRAINT invoice_tax_tenant_id_invoice_id_fkey DEFERRABLE INITIALLY DEFERRED;

-- Detail added to a finalized invoice is refused once per statement rather than once per row; changing or deleting
-- the detail of a finalized invoice is still refused row by row (V15).
DROP TRIGGER invoice_line_immutable ON invoice_line;
DROP TRIGGER invoice_tax_immutable ON invoice_tax;
CREATE TRIGGER invoice_line_immutable BEFORE UPDATE OR DELETE ON invoice_line
    FOR EACH ROW EXECUTE FUNCTION invoice_detail_only_on_drafts();
CREATE TRIGGER invoice_tax_immutable BEFORE UPDATE OR DELETE ON invoice_tax
    FOR EACH ROW EXECUTE FUNCTION invoice_detail_only_on_drafts();
CREATE FUNCTION invoice_detail_added_only_to_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM added
               CROSS JOIN LATERAL (SELECT status FROM invoice WHERE id = added.invoice_id LIMIT 1) parent
               WHERE parent.status <> 'draft') THEN
        RAISE EXCEPTION 'the lines and taxes of a finalized invoice cannot change';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER invoice_line_added AFTER INSERT ON invoice_line REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_detail_added_only_to_drafts();
CREATE TRIGGER invoice_tax_added AFTER INSERT ON invoice_tax REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_detail_added_only_to_drafts();

-- The billing run walks due subscriptions in (billed_through, id) order and locks them a batch at a time: with the id
-- in the index, each batch starts where the last one stopped instead of sorting every subscription due at the same
-- instant again.
DROP INDEX subscription_due_idx;
CREATE INDEX subscription_due_idx ON subscription (tenant_id, billed_through, id)
    WHERE status IN ('active', 'suspended') AND NOT cancel_at_period_end;

-- The same columns as the unique (invoice_id, position) constraint's own index: a second copy of it, written with
-- every line and never needed.
DROP INDEX invoice_line_invoice_idx;
