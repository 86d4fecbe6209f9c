-- One callback outbox (ADR 7): every callback, of a payment or of anything else a dialect calls
-- back about (a MoMo pre-approval, invoice or voucher), is an outbox row committed with the state
-- change that caused it, and every attempt of every callback is one row of callback_attempt.

-- What a job is about: subject_kind names it ('payment', 'momo-preapproval', ...), subject_id is
-- its id as text. Jobs about a payment keep payment_id as well, so that its history, its resend
-- check and the foreign key stay as they were.
ALTER TABLE outbox ADD COLUMN subject_kind text, ADD COLUMN subject_id text;
UPDATE outbox SET subject_kind = 'payment', subject_id = payment_id::text;
ALTER TABLE outbox ALTER COLUMN subject_kind SET NOT NULL, ALTER COLUMN subject_id SET NOT NULL,
    ALTER COLUMN payment_id DROP NOT NULL;
ALTER TABLE outbox ADD CONSTRAINT outbox_payment_subject_check
    CHECK (subject_kind <> 'payment' OR payment_id IS NOT NULL);
-- UNACKNOWLEDGED: a callback its receiver never acknowledged, handed to its policy's hook.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('SUBMIT', 'CHECK', 'WEBHOOK', 'UNACKNOWLEDGED'));
CREATE INDEX outbox_subject_idx ON outbox (subject_kind, subject_id, kind, id);

-- Every callback attempt. outbox_id is null only for the one-shot attempts of before this
-- migration, which had no outbox row; payment_id is set for the callbacks of a payment.
CREATE TABLE callback_attempt (
    id           bigserial PRIMARY KEY,
    outbox_id    bigint REFERENCES outbox (id),
    subject_kind text NOT NULL,
    subject_id   text NOT NULL,
    payment_id   uuid REFERENCES payment (id),
    url          text,
    method       text,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    http_status  integer,
    error        text,
    duration_ms  integer NOT NULL
);

CREATE INDEX callback_attempt_subject_idx ON callback_attempt (subject_kind, subject_id, id);
CREATE INDEX callback_attempt_payment_idx ON callback_attempt (payment_id, id) WHERE payment_id IS NOT NULL;

-- The four old records, oldest first so that ids keep the order the attempts were made in.
INSERT INTO callback_attempt (outbox_id, subject_kind, subject_id, payment_id, url, method, attempted_at,
                              http_status, error, duration_ms)
SELECT outbox_id, subject_kind, subject_id, payment_id, url, method, attempted_at, http_status, error, duration_ms
FROM (
    SELECT 1 AS source, id, outbox_id, 'payment' AS subject_kind, payment_id::text AS subject_id, payment_id, url,
           NULL::text AS method, attempted_at, http_status, error, duration_ms
    FROM webhook_attempt
    UNION ALL
    SELECT 2, id, NULL, subject, subject_id, NULL, url, method, attempted_at, http_status, error, duration_ms
    FROM momo_callback_attempt
    UNION ALL
    SELECT 3, id, NULL, 'momo-invoice', invoice_id::text, NULL, url, 'POST', attempted_at, http_status, error,
           duration_ms
    FROM momo_invoice_callback_attempt
    UNION ALL
    SELECT 4, id, NULL, 'momo-voucher', voucher_id::text, NULL, url, 'POST', attempted_at, http_status, error,
           duration_ms
    FROM momo_voucher_callback_attempt
) old
ORDER BY attempted_at, source, id;

DROP TABLE webhook_attempt;
DROP TABLE momo_callback_attempt;
DROP TABLE momo_invoice_callback_attempt;
DROP TABLE momo_voucher_callback_attempt;

-- An invoice callback made due but not yet sent goes to the outbox, so that the upgrade loses
-- none. From now on callback_state DUE -> SENT means "handed to the outbox", in the same
-- transaction as the change that made it due.
INSERT INTO outbox (kind, subject_kind, subject_id, due_at)
SELECT 'WEBHOOK', 'momo-invoice', id::text, now() FROM momo_invoice WHERE callback_state = 'DUE';
UPDATE momo_invoice SET callback_state = 'SENT' WHERE callback_state = 'DUE';
