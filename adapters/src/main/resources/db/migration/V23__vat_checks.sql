-- The last check of a customer's EU VAT number with VIES: valid, invalid, or unavailable (VIES or the member state
-- gave no answer), when, and the name the member state has registered for the number. With VIES checks on, reverse
-- charge needs 'valid'. A check concerns one number: changing the tax id clears it. Never checked: all three null.
ALTER TABLE customer
    ADD COLUMN vat_check_status    text CHECK (vat_check_status IN ('valid', 'invalid', 'unavailable')),
    ADD COLUMN vat_checked_at      timestamptz,
    ADD COLUMN vat_registered_name text,
    ADD CONSTRAINT customer_vat_check_dated CHECK ((vat_check_status IS NULL) = (vat_checked_at IS NULL));
