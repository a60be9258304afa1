-- Identity and tenancy. Every tenant-owned table carries tenant_id, every query filters on it, and
-- row-level security is the second wall: the application's role sees only the rows of the tenant set
-- for the current transaction (SET LOCAL hostrail.tenant_id), and none when it is unset.

CREATE TABLE tenant (
    id          uuid        PRIMARY KEY,
    slug        text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('active', 'suspended')),
    created_at  timestamptz NOT NULL,
    version     bigint      NOT NULL DEFAULT 0
);

CREATE TABLE role (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenant (id),
    name        text        NOT NULL CHECK (name ~ '^[a-z][a-z0-9_-]{1,62}$'),
    description text        NOT NULL DEFAULT '',
    permissions text[]      NOT NULL,
    built_in    boolean     NOT NULL,
    created_at  timestamptz NOT NULL,
    version     bigint      NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE app_user (
    id            uuid        PRIMARY KEY,
    tenant_id     uuid        NOT NULL REFERENCES tenant (id),
    email         text        NOT NULL,
    display_name  text        NOT NULL,
    password_hash text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('staff', 'client')),
    customer_id   uuid,
    status        text        NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    version       bigint      NOT NULL DEFAULT 0,
    CHECK ((kind = 'client') = (customer_id IS NOT NULL)),
    UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX app_user_tenant_email_idx ON app_user (tenant_id, lower(email));

CREATE TABLE user_role (
    tenant_id   uuid NOT NULL,
    user_id     uuid NOT NULL,
    role_id     uuid NOT NULL,
    PRIMARY KEY (user_id, role_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, role_id) REFERENCES role (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_role_role_idx ON user_role (role_id);

-- Refresh tokens rotate on every use; all tokens descended from one login share a family, and
-- presenting a used token revokes the family (reuse detection). Only a hash of the token is kept.
CREATE TABLE refresh_token (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    user_id     uuid        NOT NULL,
    family_id   uuid        NOT NULL,
    token_hash  bytea       NOT NULL UNIQUE,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);

-- Platform-wide token signing keys (not tenant data). The private key is sealed with the secret box.
CREATE TABLE signing_key (
    kid          text        PRIMARY KEY,
    algorithm    text        NOT NULL,
    public_jwk   text        NOT NULL,
    private_jwk  text        NOT NULL,
    created_at   timestamptz NOT NULL,
    retired_at   timestamptz
);

DO $$
DECLARE
    tenant_table text;
BEGIN
    FOREACH tenant_table IN ARRAY ARRAY['role', 'app_user', 'user_role', 'refresh_token'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
        -- FORCE: the table owner is held to the policy too; only superusers bypass it.
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
        EXECUTE format($policy$
            CREATE POLICY tenant_isolation ON %I
            USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
            $policy$, tenant_table);
    END LOOP;
END
$$;

-- The application connects as its own role (the ${approle} placeholder); Flyway may migrate as another.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${approle};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${approle};
