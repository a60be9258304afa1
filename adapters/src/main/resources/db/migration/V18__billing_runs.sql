-- Billing runs: one row per run and tenant, its progress counted in the same transactions as the work it counts.
CREATE TABLE billing_run (
    id             uuid        PRIMARY KEY,
    tenant_id      uuid        NOT NULL REFERENCES tenant (id),
    status         text        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    trigger        text        NOT NULL CHECK (trigger IN ('manual', 'schedule')),
    requested_by   uuid,
    instance_id    text        NOT NULL,
    as_of          timestamptz NOT NULL,
    horizon        timestamptz NOT NULL,
    started_at     timestamptz NOT NULL,
    heartbeat_at   timestamptz NOT NULL,
    finished_at    timestamptz,
    renewed        integer     NOT NULL DEFAULT 0,
    cancelled      integer     NOT NULL DEFAULT 0,
    invoiced       integer     NOT NULL DEFAULT 0,
    skipped        integer     NOT NULL DEFAULT 0,
    failed         integer     NOT NULL DEFAULT 0,
    last_error     text,
    UNIQUE (tenant_id, id)
);
CREATE INDEX billing_run_tenant_idx ON billing_run (tenant_id, started_at DESC);

CREATE TABLE billing_run_failure (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        uuid        NOT NULL,
    run_id           uuid        NOT NULL,
    subscription_id  uuid        NOT NULL,
    error            text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, run_id) REFERENCES billing_run (tenant_id, id)
);
CREATE INDEX billing_run_failure_run_idx ON billing_run_failure (run_id, id);

-- What the renewal pass scans: running subscriptions whose current period has ended.
CREATE INDEX subscription_period_end_idx ON subscription (tenant_id, period_end)
    WHERE status IN ('active', 'suspended');

ALTER TABLE billing_run ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_run FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_run
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE billing_run_failure ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_run_failure FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_run_failure
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON billing_run TO ${approle};
GRANT SELECT, INSERT ON billing_run_failure TO ${approle};
