-- Tax rules: a rate per country, or per region of it, applied in sequence order (compound rates depend on it).
CREATE TABLE tax_rule (
    id          uuid          PRIMARY KEY,
    tenant_id   uuid          NOT NULL REFERENCES tenant (id),
    name        text          NOT NULL,
    country     char(2)       NOT NULL,
    region      text,
    percent     numeric(7, 4) NOT NULL CHECK (percent >= 0 AND percent <= 100),
    compound    boolean       NOT NULL,
    sequence    integer       NOT NULL CHECK (sequence >= 0),
    created_at  timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL,
    version     bigint        NOT NULL DEFAULT 0
);
CREATE INDEX tax_rule_place_idx ON tax_rule (tenant_id, country, region, sequence);

ALTER TABLE tax_rule ENABLE ROW LEVEL SECURITY;
ALTER TABLE tax_rule FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tax_rule
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON tax_rule TO ${approle};
