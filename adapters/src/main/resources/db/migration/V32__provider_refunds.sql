-- Refunds made through Stripe and PayPal keep the provider's refund id, and are recorded once per provider and id
-- within the tenant: the API call that made the refund and the provider's webhook reporting it (or a refund made in
-- the provider's dashboard, reported by webhook only) land on one row, whichever comes first.
-- Manual refunds have neither; no refund recorded before this migration has a reference.
ALTER TABLE payment_refund
    ADD COLUMN provider text CHECK (provider IN ('stripe', 'paypal')),
    ADD CONSTRAINT payment_refund_provider_reference CHECK ((provider IS NULL) = (reference IS NULL));

CREATE UNIQUE INDEX payment_refund_provider_reference_key ON payment_refund (tenant_id, provider, reference)
    WHERE reference IS NOT NULL;
