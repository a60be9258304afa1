-- Single-use, expiring password reset tokens. Only a hash is kept; the token carries its tenant so it
-- can be looked up under row-level security.
CREATE TABLE password_reset_token (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    user_id     uuid        NOT NULL,
    token_hash  bytea       NOT NULL UNIQUE,
    created_by  uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE password_reset_token ENABLE ROW LEVEL SECURITY;
ALTER TABLE password_reset_token FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON password_reset_token
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE ON password_reset_token TO ${approle};
