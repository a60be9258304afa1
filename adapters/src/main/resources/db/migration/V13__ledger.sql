-- The ledger: every amount that moves is a transaction of balanced entries (debits = credits per currency). Balances
-- are derived from it, never stored. Append-only: the application role may insert and read, nothing else.
CREATE TABLE ledger_transaction (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenant (id),
    kind         text        NOT NULL,
    customer_id  uuid,
    description  text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id)
);
CREATE INDEX ledger_transaction_customer_idx ON ledger_transaction (tenant_id, customer_id, occurred_at);

CREATE TABLE ledger_entry (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       uuid        NOT NULL,
    transaction_id  uuid        NOT NULL,
    account         text        NOT NULL CHECK (account IN ('accounts_receivable', 'revenue', 'tax_payable',
                                                           'customer_credit', 'credit_adjustments', 'cash')),
    customer_id     uuid,
    currency        char(3)     NOT NULL,
    debit_minor     bigint      NOT NULL CHECK (debit_minor >= 0),
    credit_minor    bigint      NOT NULL CHECK (credit_minor >= 0),
    CHECK ((debit_minor > 0) <> (credit_minor > 0)),
    FOREIGN KEY (tenant_id, transaction_id) REFERENCES ledger_transaction (tenant_id, id)
);
CREATE INDEX ledger_entry_transaction_idx ON ledger_entry (transaction_id);
CREATE INDEX ledger_entry_customer_idx ON ledger_entry (tenant_id, customer_id, account);

-- The database's own guard: at commit, every transaction touched must balance in every currency.
CREATE FUNCTION ledger_transaction_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced record;
BEGIN
    SELECT currency, sum(debit_minor) AS debits, sum(credit_minor) AS credits INTO unbalanced
    FROM ledger_entry WHERE transaction_id = NEW.transaction_id
    GROUP BY currency HAVING sum(debit_minor) <> sum(credit_minor) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance in %: debits %, credits %',
            NEW.transaction_id, unbalanced.currency, unbalanced.debits, unbalanced.credits;
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balances();

ALTER TABLE ledger_transaction ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_transaction FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ledger_transaction
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE ledger_entry ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_entry FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ledger_entry
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

REVOKE ALL ON ledger_transaction, ledger_entry FROM ${approle};
GRANT SELECT, INSERT ON ledger_transaction, ledger_entry TO ${approle};
