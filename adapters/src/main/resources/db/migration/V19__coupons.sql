-- Coupons: discount codes of a tenant, and every use of them. A coupon's row is locked while it is redeemed, so the
-- count of redemptions never passes max_redemptions however many orders arrive at once.
CREATE TABLE coupon (
    id                  uuid          PRIMARY KEY,
    tenant_id           uuid          NOT NULL REFERENCES tenant (id),
    -- Stored upper-case, so the unique key below makes codes unique per tenant ignoring case.
    code                text          NOT NULL CHECK (code = upper(code) AND code ~ '^[A-Z0-9_-]{3,40}$'),
    description         text          CHECK (length(description) <= 500),
    discount_kind       text          NOT NULL CHECK (discount_kind IN ('percent', 'fixed')),
    percent             numeric(7, 4) CHECK (percent > 0 AND percent <= 100),
    duration            text          NOT NULL CHECK (duration IN ('once', 'forever', 'repeating')),
    duration_cycles     integer       CHECK (duration_cycles BETWEEN 1 AND 120),
    max_redemptions     integer       CHECK (max_redemptions >= 1),
    -- May exceed max_redemptions when a tenant lowers the cap below the uses so far; the coupon is then exhausted.
    redemptions         integer       NOT NULL DEFAULT 0 CHECK (redemptions >= 0),
    per_customer_limit  integer       CHECK (per_customer_limit >= 1),
    valid_from          timestamptz,
    expires_at          timestamptz,
    active              boolean       NOT NULL,
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL,
    version             bigint        NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, code),
    UNIQUE (tenant_id, id),
    CHECK ((discount_kind = 'percent') = (percent IS NOT NULL)),
    CHECK ((duration = 'repeating') = (duration_cycles IS NOT NULL)),
    CHECK (expires_at > valid_from)
);

-- A fixed coupon's amount off in each currency it can be used in.
CREATE TABLE coupon_amount (
    tenant_id     uuid    NOT NULL,
    coupon_id     uuid    NOT NULL,
    currency      char(3) NOT NULL,
    amount_minor  bigint  NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (coupon_id, currency),
    FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupon (tenant_id, id)
);

-- The products a coupon is restricted to; none means every product.
CREATE TABLE coupon_product (
    tenant_id   uuid NOT NULL,
    coupon_id   uuid NOT NULL,
    product_id  uuid NOT NULL,
    PRIMARY KEY (coupon_id, product_id),
    FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupon (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES product (tenant_id, id)
);

CREATE TABLE coupon_redemption (
    id                 uuid        PRIMARY KEY,
    tenant_id          uuid        NOT NULL,
    coupon_id          uuid        NOT NULL,
    customer_id        uuid        NOT NULL,
    subscription_id    uuid,
    -- The first invoice the discount was given on.
    invoice_id         uuid,
    redeemed_at        timestamptz NOT NULL,
    -- How many billing cycles of the subscription got the discount so far; the coupon's duration says how many may.
    cycles_discounted  integer     NOT NULL DEFAULT 0 CHECK (cycles_discounted >= 0),
    FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupon (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id),
    -- Deferred: an order redeems its coupon with the ids its subscription and first invoice are about to get.
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscription (tenant_id, id) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX coupon_redemption_coupon_idx ON coupon_redemption (tenant_id, coupon_id, id);
CREATE INDEX coupon_redemption_customer_idx ON coupon_redemption (tenant_id, coupon_id, customer_id);
-- One coupon per subscription: the billing run asks which one applies to its next cycle.
CREATE UNIQUE INDEX coupon_redemption_subscription_idx ON coupon_redemption (tenant_id, subscription_id)
    WHERE subscription_id IS NOT NULL;

ALTER TABLE coupon ENABLE ROW LEVEL SECURITY;
ALTER TABLE coupon FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON coupon
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE coupon_amount ENABLE ROW LEVEL SECURITY;
ALTER TABLE coupon_amount FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON coupon_amount
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE coupon_product ENABLE ROW LEVEL SECURITY;
ALTER TABLE coupon_product FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON coupon_product
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE coupon_redemption ENABLE ROW LEVEL SECURITY;
ALTER TABLE coupon_redemption FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON coupon_redemption
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

-- No DELETE on coupon or coupon_redemption: a coupon is deactivated, never removed, and its uses stay on record.
-- Amounts and products are rewritten with the coupon; once it is redeemed they can no longer change.
GRANT SELECT, INSERT, UPDATE ON coupon TO ${approle};
GRANT SELECT, INSERT, DELETE ON coupon_amount TO ${approle};
GRANT SELECT, INSERT, DELETE ON coupon_product TO ${approle};
GRANT SELECT, INSERT, UPDATE ON coupon_redemption TO ${approle};
