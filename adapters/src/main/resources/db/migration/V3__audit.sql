-- The audit trail: append-only and hash-chained per tenant. Each record's hash covers its content and
-- the previous record's hash; audit_chain_head holds the newest sequence and hash per tenant, is locked
-- by every append (so two appends never claim the same place) and lets verification notice records
-- deleted from the end.
CREATE TABLE audit_record (
    id            uuid        PRIMARY KEY,
    tenant_id     uuid        NOT NULL REFERENCES tenant (id),
    sequence      bigint      NOT NULL CHECK (sequence > 0),
    actor_kind    text        NOT NULL,
    actor_id      uuid,
    actor_display text        NOT NULL,
    action        text        NOT NULL,
    target_type   text        NOT NULL,
    target_id     text,
    before_values jsonb       NOT NULL,
    after_values  jsonb       NOT NULL,
    occurred_at   timestamptz NOT NULL,
    ip            text,                   -- text, not inet: inet would rewrite some addresses and break the hash
    request_id    text,
    previous_hash char(64)    NOT NULL,
    hash          char(64)    NOT NULL,
    UNIQUE (tenant_id, sequence)
);
CREATE INDEX audit_record_action_idx ON audit_record (tenant_id, action, sequence);
CREATE INDEX audit_record_actor_idx ON audit_record (tenant_id, actor_id, sequence);
CREATE INDEX audit_record_target_idx ON audit_record (tenant_id, target_type, target_id, sequence);

CREATE TABLE audit_chain_head (
    tenant_id uuid     PRIMARY KEY REFERENCES tenant (id),
    sequence  bigint   NOT NULL,
    hash      char(64) NOT NULL
);

-- Append-only for everyone, the table owner included: changing history needs a superuser disabling
-- this trigger on purpose, and verification will then point at the altered record.
CREATE FUNCTION audit_record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_record
    FOR EACH ROW EXECUTE FUNCTION audit_record_is_append_only();
CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON audit_record
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_is_append_only();

ALTER TABLE audit_record ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_record FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_record
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE audit_chain_head ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_head FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_chain_head
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON audit_chain_head TO ${approle};
GRANT SELECT, INSERT ON audit_record TO ${approle};
