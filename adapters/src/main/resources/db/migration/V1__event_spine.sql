-- The transactional outbox: events are written here in the same transaction as the state change
-- they describe, and a relay publishes them to Kafka. Rows are kept after publishing for a retention
-- period (replays, SSE resume) and then deleted by the relay.
CREATE TABLE outbox (
    id              uuid        PRIMARY KEY,           -- the event id (UUIDv7: sorts by creation)
    tenant_id       uuid        NOT NULL,
    aggregate_id    uuid        NOT NULL,              -- the Kafka key: one aggregate's events share a partition
    event_type      text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    envelope        jsonb       NOT NULL,              -- the full versioned envelope, as published
    published_at    timestamptz,
    claimed_by      text,                              -- relay instance holding the lease
    claimed_until   timestamptz,                       -- lease end; an expired lease may be claimed again
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text
);

-- Only unpublished rows are ever scanned by the relay; keep that index small.
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX outbox_tenant_id_idx ON outbox (tenant_id, id);

-- Events a consumer has applied. Written in the same transaction as the consumer's effect, so an
-- event delivered twice is applied once.
CREATE TABLE processed_event (
    consumer        text        NOT NULL,
    event_id        uuid        NOT NULL,
    tenant_id       uuid        NOT NULL,
    processed_at    timestamptz NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX processed_event_processed_at_idx ON processed_event (processed_at);
