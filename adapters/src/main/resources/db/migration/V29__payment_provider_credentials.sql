-- The credentials Hostrail acts with at each provider, beside the webhook secrets: a tenant may connect an account
-- before or after it sets up a webhook endpoint, so either part may be absent.
ALTER TABLE payment_provider_account ALTER COLUMN webhook_secrets_sealed SET DEFAULT '{}';
ALTER TABLE payment_provider_account DROP CONSTRAINT payment_provider_account_webhook_secrets_sealed_check;
ALTER TABLE payment_provider_account ADD CHECK (cardinality(webhook_secrets_sealed) BETWEEN 0 AND 2);

ALTER TABLE payment_provider_account
    -- live, or test (Stripe test keys, PayPal's sandbox)
    ADD COLUMN environment   text CHECK (environment IN ('live', 'test')),
    -- Shown to payers' browsers: Stripe's publishable key, PayPal's client id.
    ADD COLUMN public_key    text CHECK (length(public_key) BETWEEN 1 AND 255),
    -- Stripe's secret key, PayPal's client secret; sealed (AES-256-GCM) for this tenant and provider.
    ADD COLUMN secret_sealed text,
    -- PayPal's id of the webhook registered for this tenant, which its signature verification names.
    ADD COLUMN webhook_id    text CHECK (length(webhook_id) BETWEEN 1 AND 255),
    ADD CHECK ((environment IS NULL) = (secret_sealed IS NULL) AND (environment IS NULL) = (public_key IS NULL));
