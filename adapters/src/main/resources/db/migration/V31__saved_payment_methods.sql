-- Payment methods customers save at a provider for off-session charges (renewals, dunning retries).

-- The provider's customer for ours (Stripe's cus_...), made once and kept: the saved methods hang off it.
-- Only Stripe keeps saved methods here; PayPal has none.
CREATE TABLE payment_provider_customer (
    tenant_id    uuid        NOT NULL REFERENCES tenant (id),
    customer_id  uuid        NOT NULL,
    provider     text        NOT NULL CHECK (provider IN ('stripe')),
    reference    text        NOT NULL CHECK (length(reference) BETWEEN 1 AND 255),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, provider),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id)
);
CREATE UNIQUE INDEX payment_provider_customer_reference_key ON payment_provider_customer (tenant_id, provider, reference);

-- A saved method, as much of it as may be shown (never a card number: the provider keeps that). A removed method
-- stays as a row with removed_at: it was detached at the provider, which never lets it be attached again, and the
-- events, audit records and charges that name its id keep something to point at.
CREATE TABLE saved_payment_method (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenant (id),
    customer_id  uuid        NOT NULL,
    provider     text        NOT NULL CHECK (provider IN ('stripe')),
    reference    text        NOT NULL CHECK (length(reference) BETWEEN 1 AND 255),
    type         text        NOT NULL CHECK (length(type) BETWEEN 1 AND 50),
    brand        text        CHECK (length(brand) BETWEEN 1 AND 50),
    last4        text        CHECK (last4 ~ '^[0-9]{4}$'),
    exp_month    smallint    CHECK (exp_month BETWEEN 1 AND 12),
    exp_year     smallint    CHECK (exp_year BETWEEN 2000 AND 2200),
    is_default   boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    removed_at   timestamptz,
    version      bigint      NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id, provider) REFERENCES payment_provider_customer (tenant_id, customer_id, provider),
    CONSTRAINT saved_payment_method_removed_not_default CHECK (removed_at IS NULL OR NOT is_default)
);
-- A provider's method is stored once per tenant, removed or not: a sync never brings a removed one back.
CREATE UNIQUE INDEX saved_payment_method_reference_key ON saved_payment_method (tenant_id, provider, reference);
-- At most one default per customer.
CREATE UNIQUE INDEX saved_payment_method_one_default ON saved_payment_method (tenant_id, customer_id) WHERE is_default;
CREATE INDEX saved_payment_method_customer_idx ON saved_payment_method (tenant_id, customer_id, id)
    WHERE removed_at IS NULL;

ALTER TABLE payment_provider_customer ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_provider_customer FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_provider_customer
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE saved_payment_method ENABLE ROW LEVEL SECURITY;
ALTER TABLE saved_payment_method FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON saved_payment_method
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

REVOKE ALL ON payment_provider_customer, saved_payment_method FROM ${approle};
-- The provider's customer, once stored, is never changed.
GRANT SELECT, INSERT ON payment_provider_customer TO ${approle};
-- Rows are never deleted; what a method is stays, only its details as the provider reports them, being the default,
-- and its removal change.
GRANT SELECT, INSERT ON saved_payment_method TO ${approle};
GRANT UPDATE (brand, last4, exp_month, exp_year, is_default, removed_at, version) ON saved_payment_method TO ${approle};
