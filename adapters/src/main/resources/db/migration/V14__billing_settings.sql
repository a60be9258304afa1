-- A tenant's billing settings; a tenant without a row bills with the defaults.
CREATE TABLE billing_settings (
    tenant_id                   uuid        PRIMARY KEY REFERENCES tenant (id),
    seller_country              char(2),
    tax_basis                   text        NOT NULL CHECK (tax_basis IN ('exclusive', 'inclusive')),
    tax_rounding                text        NOT NULL CHECK (tax_rounding IN ('per_line', 'per_invoice')),
    invoice_number_format       text        NOT NULL,
    credit_note_number_format   text        NOT NULL,
    renewal_lead_days           integer     NOT NULL CHECK (renewal_lead_days BETWEEN 0 AND 90),
    apply_credit_automatically  boolean     NOT NULL,
    updated_at                  timestamptz NOT NULL,
    version                     bigint      NOT NULL
);

ALTER TABLE billing_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing_settings
    USING (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('hostrail.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON billing_settings TO ${approle};
