-- Payment retries on the customer's saved method are dunning steps too, claimed once per invoice and day.
ALTER TABLE dunning_step DROP CONSTRAINT dunning_step_kind_check;
ALTER TABLE dunning_step ADD CHECK (kind IN ('reminder', 'retry', 'suspend', 'terminate'));
