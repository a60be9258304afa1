-- The catalog: product groups, products, their prices per cycle and currency, configurable options with prices of
-- their own, and the add-ons offered with a product. Money is minor units (bigint) plus an ISO 4217 code.
CREATE TABLE product_group (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenant (id),
    name         text        NOT NULL,
    description  text,
    sort_order   integer     NOT NULL DEFAULT 0,
    hidden       boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint      NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, id)
);

CREATE TABLE product (
    id            uuid        PRIMARY KEY,
    tenant_id     uuid        NOT NULL REFERENCES tenant (id),
    group_id      uuid,
    kind          text        NOT NULL CHECK (kind IN ('hosting', 'domain', 'addon', 'service')),
    name          text        NOT NULL,
    description   text,
    status        text        NOT NULL CHECK (status IN ('active', 'hidden', 'retired')),
    stock_limit   integer     CHECK (stock_limit >= 0),
    stock_sold    integer     NOT NULL DEFAULT 0 CHECK (stock_sold >= 0),
    whm_package   text,
    server_group  text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       bigint      NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES product_group (tenant_id, id),
    CHECK ((kind = 'hosting') = (whm_package IS NOT NULL))
);
CREATE INDEX product_tenant_group_idx ON product (tenant_id, group_id, id);

CREATE TABLE product_price (
    tenant_id        uuid    NOT NULL,
    product_id       uuid    NOT NULL,
    cycle            text    NOT NULL CHECK (cycle IN ('monthly', 'quarterly', 'semi_annual', 'annual', 'biennial',
                                                       'triennial', 'one_time')),
    currency         char(3) NOT NULL,
    amount_minor     bigint  NOT NULL CHECK (amount_minor >= 0),
    setup_fee_minor  bigint  NOT NULL CHECK (setup_fee_minor >= 0),
    PRIMARY KEY (product_id, cycle, currency),
    FOREIGN KEY (tenant_id, product_id) REFERENCES product (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE config_option (
    id            uuid    PRIMARY KEY,
    tenant_id     uuid    NOT NULL,
    product_id    uuid    NOT NULL,
    position      integer NOT NULL,
    name          text    NOT NULL,
    unit          text,
    min_quantity  integer NOT NULL CHECK (min_quantity >= 0),
    max_quantity  integer NOT NULL CHECK (max_quantity >= 1 AND max_quantity >= min_quantity),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES product (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX config_option_product_idx ON config_option (product_id, position);

CREATE TABLE config_option_price (
    tenant_id        uuid    NOT NULL,
    option_id        uuid    NOT NULL,
    cycle            text    NOT NULL,
    currency         char(3) NOT NULL,
    amount_minor     bigint  NOT NULL CHECK (amount_minor >= 0),
    setup_fee_minor  bigint  NOT NULL CHECK (setup_fee_minor >= 0),
    PRIMARY KEY (option_id, cycle, currency),
    FOREIGN KEY (tenant_id, option_id) REFERENCES config_option (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE product_addon (
    tenant_id   uuid NOT NULL,
    product_id  uuid NOT NULL,
    addon_id    uuid NOT NULL,
    PRIMARY KEY (product_id, addon_id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES product (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, addon_id) REFERENCES product (tenant_id, id),
    CHECK (product_id <> addon_id)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['product_group', 'product', 'product_price', 'config_option', 'config_option_price',
                             'product_addon'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON product_group, product TO ${approle};
-- Children are replaced whole when a product changes.
GRANT SELECT, INSERT, DELETE ON product_price, config_option, config_option_price, product_addon TO ${approle};
