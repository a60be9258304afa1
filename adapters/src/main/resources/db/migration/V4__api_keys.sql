-- API keys for third parties. The key is shown once at creation; only its SHA-256 is kept (a key has
-- 256 random bits, so a fast hash is as safe as a slow one and keeps each request cheap).
CREATE TABLE api_key (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenant (id),
    name         text        NOT NULL,
    prefix       text        NOT NULL UNIQUE,
    secret_hash  bytea       NOT NULL,
    scopes       text[]      NOT NULL,
    allowed_ips  text[]      NOT NULL,
    expires_at   timestamptz,
    created_by   uuid        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_key_tenant_idx ON api_key (tenant_id, created_at);
ALTER TABLE api_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_key FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_key
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

-- Which tenant a key prefix belongs to: the only lookup that must happen before the tenant is known.
-- Holds no secret, like the tenant table itself.
CREATE TABLE api_key_prefix (
    prefix    text PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenant (id)
);

GRANT SELECT, INSERT, UPDATE ON api_key TO ${approle};
GRANT SELECT, INSERT ON api_key_prefix TO ${approle};
