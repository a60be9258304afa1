-- Plan changes bill time that was billed before: the rest of a period at the new price, or a new period when the
-- cycle changes. Such a 'change' row may share its start with the period's first or renewal row, and with earlier
-- changes; what stays unique is that a period is invoiced once by its first invoice or a renewal.
ALTER TABLE subscription_period_invoice DROP CONSTRAINT subscription_period_invoice_kind_check;
ALTER TABLE subscription_period_invoice ADD CONSTRAINT subscription_period_invoice_kind_check
    CHECK (kind IN ('first', 'renewal', 'change'));
ALTER TABLE subscription_period_invoice DROP CONSTRAINT subscription_period_invoice_pkey;
ALTER TABLE subscription_period_invoice ADD PRIMARY KEY (subscription_id, period_start, invoice_id);
CREATE UNIQUE INDEX subscription_period_billed_once ON subscription_period_invoice (subscription_id, period_start)
    WHERE kind IN ('first', 'renewal');
