-- Credit notes: corrections and partial refunds of finalized invoices, immutable from the moment they are issued.

-- The part of an invoice's credit notes that was taken off its amount due. Payment state, like credit applied and
-- amount paid: the immutability trigger of V15 lets it move, and together the three never exceed the total.
ALTER TABLE invoice ADD COLUMN credited_minor bigint NOT NULL DEFAULT 0 CHECK (credited_minor >= 0);
-- V15's unnamed CHECK (credit_applied_minor + amount_paid_minor <= total_minor), the third multi-column check of the
-- table, which PostgreSQL named invoice_check2.
ALTER TABLE invoice DROP CONSTRAINT invoice_check2;
ALTER TABLE invoice ADD CONSTRAINT invoice_settled_within_total
    CHECK (credit_applied_minor + amount_paid_minor + credited_minor <= total_minor);

CREATE TABLE credit_note (
    id                        uuid        PRIMARY KEY,
    tenant_id                 uuid        NOT NULL REFERENCES tenant (id),
    invoice_id                uuid        NOT NULL,
    invoice_number            text        NOT NULL,
    customer_id               uuid        NOT NULL,
    number                    text        NOT NULL,
    currency                  char(3)     NOT NULL,
    reason                    text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    subtotal_minor            bigint      NOT NULL CHECK (subtotal_minor >= 0),
    tax_minor                 bigint      NOT NULL CHECK (tax_minor >= 0),
    total_minor               bigint      NOT NULL CHECK (total_minor > 0),
    applied_to_invoice_minor  bigint      NOT NULL CHECK (applied_to_invoice_minor >= 0),
    to_credit_minor           bigint      NOT NULL CHECK (to_credit_minor >= 0),
    issued_at                 timestamptz NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id),
    CONSTRAINT credit_note_total CHECK (subtotal_minor + tax_minor = total_minor),
    CONSTRAINT credit_note_settled CHECK (applied_to_invoice_minor + to_credit_minor = total_minor)
);
CREATE INDEX credit_note_invoice_idx ON credit_note (tenant_id, invoice_id, id);
CREATE INDEX credit_note_customer_idx ON credit_note (tenant_id, customer_id, id);

CREATE TABLE credit_note_line (
    id               uuid    PRIMARY KEY,
    tenant_id        uuid    NOT NULL,
    credit_note_id   uuid    NOT NULL,
    position         integer NOT NULL,
    invoice_line_id  uuid    REFERENCES invoice_line (id),
    description      text    NOT NULL,
    amount_minor     bigint  NOT NULL CHECK (amount_minor > 0),
    net_minor        bigint  NOT NULL CHECK (net_minor >= 0),
    tax_minor        bigint  NOT NULL CHECK (tax_minor >= 0),
    total_minor      bigint  NOT NULL,
    UNIQUE (credit_note_id, position),
    CHECK (net_minor + tax_minor = total_minor),
    FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_note (tenant_id, id)
);
CREATE INDEX credit_note_line_invoice_line_idx ON credit_note_line (invoice_line_id) WHERE invoice_line_id IS NOT NULL;

CREATE TABLE credit_note_tax (
    tenant_id       uuid          NOT NULL,
    credit_note_id  uuid          NOT NULL,
    position        integer       NOT NULL,
    name            text          NOT NULL,
    percent         numeric(8, 4) NOT NULL,
    compound        boolean       NOT NULL,
    country         char(2)       NOT NULL,
    region          text,
    amount_minor    bigint        NOT NULL CHECK (amount_minor >= 0),
    PRIMARY KEY (credit_note_id, position),
    FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_note (tenant_id, id)
);

-- The database's own guard of the credit limit: a credit note is only for a finalized invoice that is not void, of its
-- customer and in its currency, and all credit notes of an invoice never give back more than its total. The invoice's
-- row is locked first, so two credit notes on it are checked one after the other.
CREATE FUNCTION credit_note_within_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    credited record;
    already bigint;
BEGIN
    SELECT status, number, customer_id, currency, total_minor INTO credited FROM invoice
    WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id FOR NO KEY UPDATE;
    IF NOT FOUND OR credited.status NOT IN ('open', 'paid', 'uncollectible') THEN
        RAISE EXCEPTION 'credit note %: invoice % is not open, paid or uncollectible', NEW.number, NEW.invoice_id;
    END IF;
    IF (NEW.customer_id, NEW.currency, NEW.invoice_number)
            IS DISTINCT FROM (credited.customer_id, credited.currency, credited.number) THEN
        RAISE EXCEPTION 'credit note % is not for the customer, currency and number of invoice %', NEW.number,
            credited.number;
    END IF;
    SELECT coalesce(sum(total_minor), 0) INTO already FROM credit_note
    WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id;
    IF already + NEW.total_minor > credited.total_minor THEN
        RAISE EXCEPTION 'credit notes of invoice % would give back % minor units of its total %', credited.number,
            already + NEW.total_minor, credited.total_minor;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER credit_note_within_invoice BEFORE INSERT ON credit_note
    FOR EACH ROW EXECUTE FUNCTION credit_note_within_invoice();

ALTER TABLE credit_note ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_note FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON credit_note
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE credit_note_line ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_note_line FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON credit_note_line
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE credit_note_tax ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_note_tax FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON credit_note_tax
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

-- Immutable from birth: the default privileges of V2 would allow updates and deletes, so they are taken away.
REVOKE ALL ON credit_note, credit_note_line, credit_note_tax FROM ${approle};
GRANT SELECT, INSERT ON credit_note, credit_note_line, credit_note_tax TO ${approle};
