-- Each try at taking an invoice's money through Stripe or PayPal, written before the provider is called, so an answer
-- that never arrives (a timeout, a crash between the charge and its record) leaves an attempt to follow up, never a
-- charge nobody knows about.
CREATE TABLE payment_attempt (
    id                        uuid        PRIMARY KEY,
    tenant_id                 uuid        NOT NULL REFERENCES tenant (id),
    invoice_id                uuid        NOT NULL,
    customer_id               uuid        NOT NULL,
    provider                  text        NOT NULL CHECK (provider IN ('stripe', 'paypal')),
    purpose                   text        NOT NULL CHECK (purpose IN ('checkout', 'off_session')),
    currency                  char(3)     NOT NULL,
    amount_minor              bigint      NOT NULL CHECK (amount_minor > 0),
    payment_method_reference  text        CHECK (length(payment_method_reference) <= 255),
    status                    text        NOT NULL CHECK (status IN ('started', 'pending', 'unknown', 'succeeded',
                                                                     'declined', 'abandoned', 'unresolved')),
    reference                 text        CHECK (length(reference) BETWEEN 1 AND 255),
    payment_id                uuid,
    decline_code              text        CHECK (length(decline_code) <= 255),
    decline_message           text        CHECK (length(decline_message) <= 1000),
    checks                    integer     NOT NULL DEFAULT 0 CHECK (checks >= 0),
    next_check_at             timestamptz,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    version                   bigint      NOT NULL DEFAULT 0,
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payment (tenant_id, id),
    -- Open attempts, and only they, are due a check.
    CHECK ((status IN ('started', 'pending', 'unknown')) = (next_check_at IS NOT NULL)),
    CHECK (status <> 'succeeded' OR payment_id IS NOT NULL)
);
CREATE INDEX payment_attempt_invoice_idx ON payment_attempt (tenant_id, invoice_id, id);
CREATE UNIQUE INDEX payment_attempt_reference_key ON payment_attempt (tenant_id, provider, reference);
-- One charge of a saved method at a time per invoice: a dunning retry and a staff charge at once cannot both take it.
CREATE UNIQUE INDEX payment_attempt_one_open_off_session ON payment_attempt (tenant_id, invoice_id)
    WHERE purpose = 'off_session' AND status IN ('started', 'pending', 'unknown');
-- What the attempt janitor reads: small, since attempts leave it as soon as they settle.
CREATE INDEX payment_attempt_due_idx ON payment_attempt (tenant_id, next_check_at) WHERE next_check_at IS NOT NULL;

ALTER TABLE payment_attempt ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_attempt FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_attempt
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

REVOKE ALL ON payment_attempt FROM ${approle};
GRANT SELECT, INSERT ON payment_attempt TO ${approle};
GRANT UPDATE (status, reference, payment_id, decline_code, decline_message, checks, next_check_at, updated_at, version)
    ON payment_attempt TO ${approle};
