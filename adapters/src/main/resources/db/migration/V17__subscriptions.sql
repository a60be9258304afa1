-- Subscriptions: a customer's recurring purchase of a product, and the record of every period billed for it.
CREATE TABLE subscription (
    id                    uuid        PRIMARY KEY,
    tenant_id             uuid        NOT NULL REFERENCES tenant (id),
    customer_id           uuid        NOT NULL,
    product_id            uuid        NOT NULL,
    cycle                 text        NOT NULL CHECK (cycle IN ('monthly', 'quarterly', 'semi_annual', 'annual',
                                                               'biennial', 'triennial')),
    currency              char(3)     NOT NULL,
    status                text        NOT NULL CHECK (status IN ('pending', 'active', 'suspended', 'cancelled',
                                                                'terminated')),
    quantity              integer     NOT NULL CHECK (quantity > 0),
    options               jsonb       NOT NULL,
    anchor                timestamptz,
    trial_end             timestamptz,
    period_start          timestamptz,
    period_end            timestamptz,
    -- The end of the last period invoiced: the billing run bills the next one when it comes within the lead time.
    billed_through        timestamptz,
    cancel_at_period_end  boolean     NOT NULL,
    suspended_at          timestamptz,
    cancelled_at          timestamptz,
    terminated_at         timestamptz,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    version               bigint      NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES product (tenant_id, id),
    CHECK ((period_start IS NULL) = (period_end IS NULL))
);
CREATE INDEX subscription_customer_idx ON subscription (tenant_id, customer_id, id);
-- What the billing run scans: running subscriptions by when their next period must be invoiced.
CREATE INDEX subscription_due_idx ON subscription (tenant_id, billed_through)
    WHERE status IN ('active', 'suspended') AND NOT cancel_at_period_end;

-- One row per period billed. The primary key is what makes billing a period twice impossible, whatever crashes,
-- retries or concurrent billing runs happen: the second insert fails and its transaction bills nothing.
CREATE TABLE subscription_period_invoice (
    tenant_id        uuid        NOT NULL,
    subscription_id  uuid        NOT NULL,
    period_start     timestamptz NOT NULL,
    period_end       timestamptz NOT NULL,
    invoice_id       uuid        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('first', 'renewal')),
    PRIMARY KEY (subscription_id, period_start),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscription (tenant_id, id),
    -- Deferred: the billing run claims the period first, with the id the invoice will have, then issues it.
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX subscription_period_invoice_invoice_idx ON subscription_period_invoice (tenant_id, invoice_id);

ALTER TABLE subscription ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscription FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subscription
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE subscription_period_invoice ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscription_period_invoice FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subscription_period_invoice
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON subscription TO ${approle};
GRANT SELECT, INSERT ON subscription_period_invoice TO ${approle};

-- Plan changes are prorated to whole days unless the tenant asks for seconds.
ALTER TABLE billing_settings ADD COLUMN proration_granularity text NOT NULL DEFAULT 'day'
    CHECK (proration_granularity IN ('day', 'second'));
