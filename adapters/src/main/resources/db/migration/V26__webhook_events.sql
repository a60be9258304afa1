-- Provider webhooks: each delivery kept raw, before anything in it is acted on, under the provider's event id.
CREATE TABLE webhook_event (
    id            uuid        PRIMARY KEY,
    tenant_id     uuid        NOT NULL REFERENCES tenant (id),
    provider      text        NOT NULL CHECK (provider IN ('stripe', 'paypal')),
    event_id      text        NOT NULL CHECK (length(event_id) BETWEEN 1 AND 255),
    event_type    text        NOT NULL CHECK (length(event_type) BETWEEN 1 AND 255),
    payload       text        NOT NULL,
    received_at   timestamptz NOT NULL,
    status        text        NOT NULL CHECK (status IN ('received', 'processed', 'unhandled', 'failed')),
    outcome       text        CHECK (length(outcome) <= 500),
    attempts      integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    processed_at  timestamptz
);
-- A delivery repeated by the provider is recognized by this key and acknowledged without a second effect.
CREATE UNIQUE INDEX webhook_event_provider_event_key ON webhook_event (tenant_id, provider, event_id);
CREATE INDEX webhook_event_status_idx ON webhook_event (tenant_id, status, id);

-- A tenant's settings at each provider; secrets sealed with AES-256-GCM (SecretBox), bound to tenant and provider.
CREATE TABLE payment_provider_account (
    tenant_id               uuid        NOT NULL REFERENCES tenant (id),
    provider                text        NOT NULL CHECK (provider IN ('stripe', 'paypal')),
    -- Newest first; two while one is rotated.
    webhook_secrets_sealed  text[]      NOT NULL CHECK (cardinality(webhook_secrets_sealed) BETWEEN 1 AND 2),
    updated_at              timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, provider)
);

ALTER TABLE webhook_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_event
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);
ALTER TABLE payment_provider_account ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_provider_account FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_provider_account
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

REVOKE ALL ON webhook_event, payment_provider_account FROM ${approle};
-- The raw delivery is never changed; only how processing went is.
GRANT SELECT, INSERT ON webhook_event TO ${approle};
GRANT UPDATE (status, outcome, attempts, processed_at) ON webhook_event TO ${approle};
GRANT SELECT, INSERT, UPDATE ON payment_provider_account TO ${approle};
