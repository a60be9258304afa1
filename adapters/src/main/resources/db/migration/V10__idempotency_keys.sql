-- Idempotency-Key: one row per key a caller used in a tenant, claimed before the request runs and holding the answer
-- once it succeeded. Deleted a day after the claim.
CREATE TABLE idempotency_record (
    tenant_id         uuid        NOT NULL REFERENCES tenant (id),
    caller_id         uuid        NOT NULL,
    idempotency_key   text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash      char(64)    NOT NULL,
    claimed_at        timestamptz NOT NULL,
    completed_at      timestamptz,
    response_status   integer,
    response_type     text,
    response_location text,
    response_body     bytea,
    PRIMARY KEY (tenant_id, caller_id, idempotency_key),
    CHECK ((completed_at IS NULL) = (response_status IS NULL))
);
CREATE INDEX idempotency_record_claimed_idx ON idempotency_record (tenant_id, claimed_at);

ALTER TABLE idempotency_record ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_record FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_record
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_record TO ${approle};
