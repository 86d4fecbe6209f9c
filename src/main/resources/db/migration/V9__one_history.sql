-- One history: every stateful thing (payments, MoMo pre-approvals, consents, invoices and
-- vouchers) appends each state change to an event table of the same shape: id, the subject's
-- id, at, from_status, to_status, event, detail. Rows are never updated or deleted.

CREATE TABLE momo_preapproval_event (
    id             bigserial PRIMARY KEY,
    preapproval_id uuid NOT NULL REFERENCES momo_preapproval (id),
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    from_status    text,
    to_status      text NOT NULL,
    event          text NOT NULL,
    detail         text
);

CREATE INDEX momo_preapproval_event_preapproval_idx ON momo_preapproval_event (preapproval_id, id);

CREATE TABLE momo_consent_event (
    id          bigserial PRIMARY KEY,
    consent_id  uuid NOT NULL REFERENCES momo_consent (id),
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    from_status text,
    to_status   text NOT NULL,
    event       text NOT NULL,
    detail      text
);

CREATE INDEX momo_consent_event_consent_idx ON momo_consent_event (consent_id, id);

-- The voucher history had only the status a change led to; it now names the one it left as
-- well, under the same column names as the other histories. Rows written before this
-- migration keep from_status NULL: the past is not rewritten, and it can be read from the
-- previous row of the same voucher.
ALTER TABLE momo_voucher_event RENAME COLUMN status TO to_status;
ALTER TABLE momo_voucher_event ADD COLUMN from_status text;

-- Pre-approvals and consents made before this migration get the history they would have had:
-- their creation and, when they are final, the move that finished them. The exact path between
-- is unknown (only the current row survives), so the final move is marked as backfilled.
INSERT INTO momo_preapproval_event (preapproval_id, at, from_status, to_status, event, detail)
SELECT id, created_at, NULL, 'PENDING', 'CREATED', 'backfilled by V9'
FROM momo_preapproval ORDER BY created_at, id;

INSERT INTO momo_preapproval_event (preapproval_id, at, from_status, to_status, event, detail)
SELECT id, COALESCE(finished_at, created_at), 'PENDING', status, status, COALESCE(reason, 'backfilled by V9')
FROM momo_preapproval WHERE status <> 'PENDING' ORDER BY COALESCE(finished_at, created_at), id;

INSERT INTO momo_consent_event (consent_id, at, from_status, to_status, event, detail)
SELECT id, created_at, NULL, 'PENDING', 'CREATED', 'backfilled by V9'
FROM momo_consent ORDER BY created_at, id;

-- A redeemed consent was approved first; the approval's time is not known, so both moves carry
-- the finishing time.
INSERT INTO momo_consent_event (consent_id, at, from_status, to_status, event, detail)
SELECT id, COALESCE(finished_at, created_at), 'PENDING', CASE WHEN status = 'REDEEMED' THEN 'APPROVED' ELSE status END,
       CASE WHEN status = 'REDEEMED' THEN 'APPROVED' ELSE status END, 'backfilled by V9'
FROM momo_consent WHERE status <> 'PENDING' ORDER BY COALESCE(finished_at, created_at), id;

INSERT INTO momo_consent_event (consent_id, at, from_status, to_status, event, detail)
SELECT id, COALESCE(finished_at, created_at), 'APPROVED', 'REDEEMED', 'REDEEMED', 'backfilled by V9'
FROM momo_consent WHERE status = 'REDEEMED' ORDER BY COALESCE(finished_at, created_at), id;
