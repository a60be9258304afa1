-- Invoices: drafts that change freely, then finalized ones that never change again except for what was paid on them.

-- Gapless document numbers. The row of a (tenant, kind, scope) is incremented in the transaction that finalizes the
-- document, so its lock orders concurrent finalizations and a rollback gives the number back.
CREATE TABLE document_sequence (
    tenant_id   uuid    NOT NULL REFERENCES tenant (id),
    kind        text    NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    scope       text    NOT NULL,
    last_value  bigint  NOT NULL CHECK (last_value > 0),
    PRIMARY KEY (tenant_id, kind, scope)
);

CREATE TABLE invoice (
    id                    uuid        PRIMARY KEY,
    tenant_id             uuid        NOT NULL REFERENCES tenant (id),
    customer_id           uuid        NOT NULL,
    number                text,
    status                text        NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
    currency              char(3)     NOT NULL,
    tax_basis             text        NOT NULL CHECK (tax_basis IN ('exclusive', 'inclusive')),
    tax_rounding          text        NOT NULL CHECK (tax_rounding IN ('per_line', 'per_invoice')),
    tax_note   text,
    subtotal_minor        bigint      NOT NULL,
    discount_minor        bigint      NOT NULL CHECK (discount_minor >= 0),
    tax_minor             bigint      NOT NULL CHECK (tax_minor >= 0),
    total_minor           bigint      NOT NULL CHECK (total_minor >= 0),
    credit_applied_minor  bigint      NOT NULL CHECK (credit_applied_minor >= 0),
    amount_paid_minor     bigint      NOT NULL CHECK (amount_paid_minor >= 0),
    memo                  text,
    issued_at             timestamptz,
    due_at                timestamptz,
    paid_at               timestamptz,
    closed_at             timestamptz,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    version               bigint      NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id),
    CHECK ((status = 'draft') = (number IS NULL)),
    CHECK (subtotal_minor + tax_minor = total_minor),
    CHECK (credit_applied_minor + amount_paid_minor <= total_minor)
);
CREATE INDEX invoice_customer_idx ON invoice (tenant_id, customer_id, id);
CREATE INDEX invoice_status_idx ON invoice (tenant_id, status, due_at);

CREATE TABLE invoice_line (
    id                uuid        PRIMARY KEY,
    tenant_id         uuid        NOT NULL,
    invoice_id        uuid        NOT NULL,
    position          integer     NOT NULL,
    description       text        NOT NULL,
    quantity          bigint      NOT NULL CHECK (quantity > 0),
    unit_price_minor  bigint      NOT NULL CHECK (unit_price_minor >= 0),
    discount_minor    bigint      NOT NULL CHECK (discount_minor >= 0),
    period_start      timestamptz,
    period_end        timestamptz,
    product_id        uuid,
    subscription_id   uuid,
    net_minor         bigint      NOT NULL,
    tax_minor         bigint      NOT NULL,
    total_minor       bigint      NOT NULL,
    UNIQUE (invoice_id, position),
    CHECK (net_minor + tax_minor = total_minor),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX invoice_line_invoice_idx ON invoice_line (invoice_id, position);

CREATE TABLE invoice_tax (
    tenant_id     uuid          NOT NULL,
    invoice_id    uuid          NOT NULL,
    position      integer       NOT NULL,
    name          text          NOT NULL,
    percent       numeric(8, 4) NOT NULL,
    compound      boolean       NOT NULL,
    country       char(2)       NOT NULL,
    region        text,
    amount_minor  bigint        NOT NULL CHECK (amount_minor >= 0),
    PRIMARY KEY (invoice_id, position),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id) ON DELETE CASCADE
);

-- The database's own guard that a finalized invoice is immutable: only its payment state and status may move, and it
-- can never go back to draft or be deleted; its lines and taxes can no longer be touched at all.
CREATE FUNCTION invoice_finalized_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'invoice % is finalized and cannot be deleted', OLD.number;
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (NEW.status = 'draft'
            OR (NEW.number, NEW.customer_id, NEW.currency, NEW.tax_basis, NEW.tax_rounding, NEW.tax_note,
                NEW.subtotal_minor, NEW.discount_minor, NEW.tax_minor, NEW.total_minor, NEW.memo, NEW.issued_at,
                NEW.due_at, NEW.created_at)
               IS DISTINCT FROM
               (OLD.number, OLD.customer_id, OLD.currency, OLD.tax_basis, OLD.tax_rounding, OLD.tax_note,
                OLD.subtotal_minor, OLD.discount_minor, OLD.tax_minor, OLD.total_minor, OLD.memo, OLD.issued_at,
                OLD.due_at, OLD.created_at)) THEN
        RAISE EXCEPTION 'invoice % is finalized; only its payments and status change', OLD.number;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER invoice_immutable BEFORE UPDATE OR DELETE ON invoice
    FOR EACH ROW EXECUTE FUNCTION invoice_finalized_is_immutable();

CREATE FUNCTION invoice_detail_only_on_drafts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent_status text;
BEGIN
    SELECT status INTO parent_status FROM invoice
    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
    IF parent_status IS DISTINCT FROM 'draft' AND parent_status IS NOT NULL THEN
        RAISE EXCEPTION 'the lines and taxes of a finalized invoice cannot change';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER invoice_line_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_line
    FOR EACH ROW EXECUTE FUNCTION invoice_detail_only_on_drafts();
CREATE TRIGGER invoice_tax_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_tax
    FOR EACH ROW EXECUTE FUNCTION invoice_detail_only_on_drafts();

-- Written-off receivables have an account of their own.
ALTER TABLE ledger_entry DROP CONSTRAINT ledger_entry_account_check;
ALTER TABLE ledger_entry ADD CONSTRAINT ledger_entry_account_check CHECK (account IN ('accounts_receivable', 'revenue',
    'tax_payable', 'customer_credit', 'credit_adjustments', 'cash', 'bad_debt'));
ALTER TABLE ledger_transaction ADD COLUMN document_id uuid;
CREATE INDEX ledger_transaction_document_idx ON ledger_transaction (tenant_id, document_id) WHERE document_id IS NOT NULL;

ALTER TABLE document_sequence ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_sequence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_sequence
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE invoice ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE invoice_line ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_line FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_line
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE invoice_tax ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_tax FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invoice_tax
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON document_sequence TO ${approle};
GRANT SELECT, INSERT, UPDATE, DELETE ON invoice, invoice_line, invoice_tax TO ${approle};

-- A customer exempt from tax carries the reason, which its invoices show.
ALTER TABLE customer ADD COLUMN tax_exemption text;
