-- Test-only: an invoice line described as 'Refused by the test database ...' makes the statement that writes it fail,
-- as an unforeseen database failure would. BillingRunBatchIT sells a product of that name to prove that a batch the
-- database refuses as a whole is billed again one subscription at a time. Once per statement, so it costs the other
-- tests and the benchmark nothing they would notice.
CREATE FUNCTION test_refuse_marked_invoice_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM added WHERE description LIKE 'Refused by the test database%') THEN
        RAISE EXCEPTION 'refused by the test database';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER test_refuse_marked_invoice_lines AFTER INSERT ON invoice_line REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION test_refuse_marked_invoice_lines();
