-- Customer accounts: the hosting provider's clients. Client users (app_user.kind = 'client') belong to
-- exactly one of them. The credit balance is not stored here: it is derived from the ledger.
CREATE TABLE customer (
    id                   uuid        PRIMARY KEY,
    tenant_id            uuid        NOT NULL REFERENCES tenant (id),
    name                 text        NOT NULL,
    email                text        NOT NULL,
    company              text,
    tax_id               text,
    currency             char(3)     NOT NULL,
    language             text        NOT NULL,
    status               text        NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
    address_line1        text,
    address_line2        text,
    address_city         text,
    address_region       text,
    address_postal_code  text,
    address_country      char(2),
    contacts             jsonb       NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              bigint      NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, id)
);
CREATE INDEX customer_tenant_email_idx ON customer (tenant_id, lower(email));
CREATE INDEX customer_tenant_status_idx ON customer (tenant_id, status, id);

ALTER TABLE customer ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON customer
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

-- A client user's customer must exist in the same tenant.
ALTER TABLE app_user ADD CONSTRAINT app_user_customer_fk
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customer (tenant_id, id);

GRANT SELECT, INSERT, UPDATE ON customer TO ${approle};
