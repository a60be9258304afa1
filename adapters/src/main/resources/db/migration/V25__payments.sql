-- Payments: money received from customers, by hand or through a provider, and the refunds given back on them.
CREATE TABLE payment (
    id               uuid        PRIMARY KEY,
    tenant_id        uuid        NOT NULL REFERENCES tenant (id),
    customer_id      uuid        NOT NULL,
    invoice_id       uuid,
    provider         text        NOT NULL CHECK (provider IN ('manual', 'stripe', 'paypal')),
    method           text        NOT NULL CHECK (method IN ('bank_transfer', 'cash', 'cheque', 'other', 'card',
                                                            'paypal')),
    reference        text        CHECK (length(reference) BETWEEN 1 AND 200),
    currency         char(3)     NOT NULL,
    amount_minor     bigint      NOT NULL CHECK (amount_minor > 0),
    -- The part that paid the invoice; the rest went to the customer's credit.
    applied_minor    bigint      NOT NULL CHECK (applied_minor >= 0),
    refunded_minor   bigint      NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    disputed         boolean     NOT NULL DEFAULT false,
    note             text        CHECK (length(note) <= 500),
    received_at      timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    version          bigint      NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id),
    CONSTRAINT payment_applied_within_amount CHECK (applied_minor <= amount_minor),
    CONSTRAINT payment_refunded_within_amount CHECK (refunded_minor <= amount_minor),
    CONSTRAINT payment_applied_to_an_invoice CHECK (applied_minor = 0 OR invoice_id IS NOT NULL),
    CONSTRAINT payment_provider_reference CHECK (provider = 'manual' OR reference IS NOT NULL)
);
-- A provider's payment is recorded once, whatever webhooks, retries or reconciliations report it again.
CREATE UNIQUE INDEX payment_provider_reference_key ON payment (tenant_id, provider, reference)
    WHERE provider <> 'manual';
CREATE INDEX payment_customer_idx ON payment (tenant_id, customer_id, id);
CREATE INDEX payment_invoice_idx ON payment (tenant_id, invoice_id, id) WHERE invoice_id IS NOT NULL;

CREATE TABLE payment_refund (
    id              uuid        PRIMARY KEY,
    tenant_id       uuid        NOT NULL,
    payment_id      uuid        NOT NULL,
    customer_id     uuid        NOT NULL,
    currency        char(3)     NOT NULL,
    amount_minor    bigint      NOT NULL CHECK (amount_minor > 0),
    reason          text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    credit_note_id  uuid,
    reference       text        CHECK (length(reference) BETWEEN 1 AND 200),
    refunded_at     timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payment (tenant_id, id),
    FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_note (tenant_id, id)
);
CREATE INDEX payment_refund_payment_idx ON payment_refund (tenant_id, payment_id, id);
CREATE UNIQUE INDEX payment_refund_reference_key ON payment_refund (tenant_id, payment_id, reference)
    WHERE reference IS NOT NULL;

-- Money received stays as it was received: only refunds (which only grow) and a dispute change a payment.
CREATE FUNCTION payment_changes_only_by_refund() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.tenant_id, NEW.customer_id, NEW.invoice_id, NEW.provider, NEW.method, NEW.reference, NEW.currency,
        NEW.amount_minor, NEW.applied_minor, NEW.note, NEW.received_at, NEW.created_at)
       IS DISTINCT FROM (OLD.id, OLD.tenant_id, OLD.customer_id, OLD.invoice_id, OLD.provider, OLD.method, OLD.reference,
        OLD.currency, OLD.amount_minor, OLD.applied_minor, OLD.note, OLD.received_at, OLD.created_at) THEN
        RAISE EXCEPTION 'payment %: money received is not changed, only refunded', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.refunded_minor < OLD.refunded_minor THEN
        RAISE EXCEPTION 'payment %: a refund is not taken back', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payment_changes_only_by_refund BEFORE UPDATE ON payment
    FOR EACH ROW EXECUTE FUNCTION payment_changes_only_by_refund();

ALTER TABLE payment ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE payment_refund ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_refund FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_refund
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

REVOKE ALL ON payment, payment_refund FROM ${approle};
-- Payments change only by refunds and disputes; refunds are never changed.
GRANT SELECT, INSERT, UPDATE ON payment TO ${approle};
GRANT SELECT, INSERT ON payment_refund TO ${approle};
