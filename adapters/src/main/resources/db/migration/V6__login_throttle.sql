-- Failed sign-ins per subject ("account:<tenant slug>:<email>" or "ip:<address>"), for progressive delays
-- and temporary lockouts. Keyed by what the caller typed, whether or not such an account exists, so a
-- lockout reveals nothing about who has an account. Platform data, like the tenant table.
CREATE TABLE login_throttle (
    subject          text        PRIMARY KEY,
    failures         integer     NOT NULL,
    first_failure_at timestamptz,
    last_failure_at  timestamptz,
    locked_until     timestamptz
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO ${approle};
