-- Answers that carry a secret shown once (Cache-Control: no-store: new API keys, reset tokens, TOTP secrets) are not
-- kept for replay; the record only says that the request succeeded.
ALTER TABLE idempotency_record ADD COLUMN answer_withheld boolean NOT NULL DEFAULT false;
