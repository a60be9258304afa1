-- TOTP second factor. The shared secret is sealed with the secret box; last_used_step makes every code
-- single use (replay protection); recovery codes are stored hashed and crossed out when used.
CREATE TABLE user_totp (
    tenant_id      uuid        NOT NULL,
    user_id        uuid        PRIMARY KEY,
    secret_sealed  text        NOT NULL,
    confirmed_at   timestamptz,
    last_used_step bigint      NOT NULL DEFAULT -1,
    created_at     timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE user_recovery_code (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    user_id     uuid        NOT NULL,
    code_hash   text        NOT NULL,
    used_at     timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_recovery_code_user_idx ON user_recovery_code (user_id);

-- A role may demand a second factor of everyone who holds it.
ALTER TABLE role ADD COLUMN requires_second_factor boolean NOT NULL DEFAULT false;

DO $$
DECLARE
    tenant_table text;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['user_totp', 'user_recovery_code'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format($policy$
            CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
            $policy$, tenant_table);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON user_totp, user_recovery_code TO ${approle};
