-- Issue 8: the core speaks the core's words, and a client's ids are its dialect's own.
--
-- 1. Failure codes MoMo's sandbox produced in MoMo's words become the core's codes (the MoMo
--    dialect maps them back to the same reasons on its wire). Two of them were MoMo door checks
--    with no meaning in the core; they become OTHER_ERROR, and the MoMo dialect still shows its
--    sandbox test numbers' own reasons (momo-scenarios.csv, fifth column). The payment history
--    (payment_event) is left as it was written: rows are never rewritten to hide the past.

CREATE TEMPORARY TABLE core_word (old text PRIMARY KEY, new text NOT NULL) ON COMMIT DROP;
INSERT INTO core_word (old, new) VALUES
    ('EXPIRED', 'APPROVAL_EXPIRED'),
    ('NOT_ALLOWED', 'NOT_ALLOWED_BY_OPERATOR'),
    ('SERVICE_UNAVAILABLE', 'OPERATOR_UNAVAILABLE'),
    ('COULD_NOT_PERFORM_TRANSACTION', 'OPERATOR_DECLINED'),
    ('INTERNAL_PROCESSING_ERROR', 'OTHER_ERROR'),
    ('NOT_ALLOWED_TARGET_ENVIRONMENT', 'OTHER_ERROR'),
    ('INVALID_CALLBACK_URL_HOST', 'OTHER_ERROR');

UPDATE payment p SET failure_code = w.new FROM core_word w WHERE p.failure_code = w.old;

-- The simulated operators' books: what they reported, and what they still plan to report.
UPDATE sim_transaction t SET failure_code = w.new FROM core_word w WHERE t.failure_code = w.old;
UPDATE sim_transaction t SET planned = w.new FROM core_word w WHERE t.planned = w.old;

-- A failed pre-approval keeps its reason as a core code.
UPDATE momo_preapproval a SET reason = w.new FROM core_word w WHERE a.reason = w.old;

-- An invoice keeps the code its last deposit failed with; its own expiry stays MoMo's EXPIRED.
UPDATE momo_invoice i SET failure_code = w.new FROM core_word w
WHERE i.failure_code = w.old AND i.failure_code <> 'EXPIRED';

-- 2. A client id is unique per merchant, dialect and kind: a MoMo client that happens to reuse an
--    id a pawaPay integration of the same merchant used gets its own payment, not a 409 for an id
--    it never sent, and neither learns that the other exists. The constraint keeps its name, which
--    the inserts' ON CONFLICT names.
ALTER TABLE payment DROP CONSTRAINT payment_client_ref_unique;
ALTER TABLE payment ADD CONSTRAINT payment_client_ref_unique UNIQUE (merchant_id, dialect, kind, client_ref);
