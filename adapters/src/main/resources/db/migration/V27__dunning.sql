-- Dunning: what a tenant does about unpaid invoices, the steps taken on each invoice (once: the unique key is the
-- claim), the subscriptions dunning suspended (so payment unsuspends those and no others), and the runs.

-- A tenant without a row dunns with the defaults.
CREATE TABLE dunning_policy (
    tenant_id             uuid        PRIMARY KEY REFERENCES tenant (id),
    reminder_offsets      integer[]   NOT NULL,
    retry_days            integer[]   NOT NULL,
    suspend_after_days    integer     CHECK (suspend_after_days BETWEEN 0 AND 365),
    terminate_after_days  integer     CHECK (terminate_after_days BETWEEN 1 AND 730),
    updated_at            timestamptz NOT NULL,
    version               bigint      NOT NULL,
    CHECK (suspend_after_days IS NULL OR terminate_after_days IS NULL OR terminate_after_days > suspend_after_days)
);

CREATE TABLE dunning_run (
    id             uuid        PRIMARY KEY,
    tenant_id      uuid        NOT NULL REFERENCES tenant (id),
    status         text        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    trigger        text        NOT NULL CHECK (trigger IN ('manual', 'schedule')),
    requested_by   uuid,
    instance_id    text        NOT NULL,
    as_of          timestamptz NOT NULL,
    started_at     timestamptz NOT NULL,
    heartbeat_at   timestamptz NOT NULL,
    finished_at    timestamptz,
    invoices       integer     NOT NULL DEFAULT 0,
    reminders      integer     NOT NULL DEFAULT 0,
    suspended      integer     NOT NULL DEFAULT 0,
    terminated     integer     NOT NULL DEFAULT 0,
    skipped        integer     NOT NULL DEFAULT 0,
    failed         integer     NOT NULL DEFAULT 0,
    last_error     text,
    UNIQUE (tenant_id, id)
);
CREATE INDEX dunning_run_tenant_idx ON dunning_run (tenant_id, id DESC);

-- One row per step taken on an invoice. Inserting it is the claim: a second instance, or a run retried after a crash,
-- inserts nothing and acts on nothing. 'skipped' is a reminder overtaken by a later one that was sent instead.
CREATE TABLE dunning_step (
    tenant_id         uuid        NOT NULL,
    invoice_id        uuid        NOT NULL,
    step              text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('reminder', 'suspend', 'terminate')),
    offset_days       integer     NOT NULL,
    outcome           text        NOT NULL CHECK (outcome IN ('done', 'skipped')),
    due_at            timestamptz NOT NULL,
    taken_at          timestamptz NOT NULL,
    run_id            uuid        NOT NULL,
    subscription_ids  uuid[]      NOT NULL DEFAULT '{}',
    PRIMARY KEY (invoice_id, step),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id),
    FOREIGN KEY (tenant_id, run_id) REFERENCES dunning_run (tenant_id, id)
);

-- A subscription dunning suspended for an invoice, at the instant the subscription records as its suspension: payment
-- of the invoice releases the row, and unsuspends the subscription only if it is still that same suspension.
CREATE TABLE dunning_suspension (
    tenant_id        uuid        NOT NULL,
    subscription_id  uuid        NOT NULL,
    invoice_id       uuid        NOT NULL,
    suspended_at     timestamptz NOT NULL,
    released_at      timestamptz,
    PRIMARY KEY (subscription_id, invoice_id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscription (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoice (tenant_id, id)
);
CREATE INDEX dunning_suspension_invoice_idx ON dunning_suspension (tenant_id, invoice_id);

-- Which invoices billed a subscription, for "another unpaid invoice still past its threshold".
CREATE INDEX invoice_line_subscription_idx ON invoice_line (tenant_id, subscription_id) WHERE subscription_id IS NOT NULL;

ALTER TABLE dunning_policy ENABLE ROW LEVEL SECURITY;
ALTER TABLE dunning_policy FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dunning_policy
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE dunning_run ENABLE ROW LEVEL SECURITY;
ALTER TABLE dunning_run FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dunning_run
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE dunning_step ENABLE ROW LEVEL SECURITY;
ALTER TABLE dunning_step FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dunning_step
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE dunning_suspension ENABLE ROW LEVEL SECURITY;
ALTER TABLE dunning_suspension FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dunning_suspension
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON dunning_policy TO ${approle};
GRANT SELECT, INSERT, UPDATE ON dunning_run TO ${approle};
GRANT SELECT, INSERT ON dunning_step TO ${approle};
GRANT SELECT, INSERT, UPDATE ON dunning_suspension TO ${approle};
