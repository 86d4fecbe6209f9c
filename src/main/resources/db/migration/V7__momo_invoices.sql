-- MTN MoMo invoices (collection v2_0): a merchant bills an intended payer, who pays later from
-- a handset; paying makes an ordinary core deposit, so the ledger is the deposit's.

-- PAYING is PENDING on the wire: a deposit for the invoice is under way. deposit_ref is the
-- client_ref of that deposit (or of the last one), so the invoice's status follows the
-- payment row it names. callback_state NONE -> DUE -> SENT: MoMo calls back once, and the
-- conditional DUE -> SENT claim makes sure no two nodes both send it.
CREATE TABLE momo_invoice (
    id                  uuid PRIMARY KEY,
    merchant_id         uuid NOT NULL REFERENCES merchant (id),
    reference_id        uuid NOT NULL,
    api_user_id         uuid NOT NULL,
    environment         text NOT NULL,
    correspondent       text NOT NULL,
    external_id         text NOT NULL,
    amount              numeric(38, 4) NOT NULL CHECK (amount > 0),
    amount_text         text NOT NULL,
    currency            char(3) NOT NULL,
    payer_msisdn        text NOT NULL,
    payee_id_type       text NOT NULL,
    payee_id            text NOT NULL,
    description         text,
    payment_reference   text NOT NULL UNIQUE,
    status              text NOT NULL CHECK (status IN ('PENDING', 'PAYING', 'SUCCESSFUL', 'FAILED', 'CANCELLED')),
    failure_code        text,
    expires_at          timestamptz NOT NULL,
    callback_url        text,
    callback_state      text NOT NULL DEFAULT 'NONE' CHECK (callback_state IN ('NONE', 'DUE', 'SENT')),
    payment_attempts    integer NOT NULL DEFAULT 0 CHECK (payment_attempts >= 0),
    deposit_ref         text,
    cancel_reference_id uuid,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CONSTRAINT momo_invoice_reference_unique UNIQUE (merchant_id, reference_id),
    CONSTRAINT momo_invoice_cancel_reference_unique UNIQUE (merchant_id, cancel_reference_id)
);

CREATE INDEX momo_invoice_payer_idx ON momo_invoice (payer_msisdn, created_at) WHERE status IN ('PENDING', 'PAYING');
CREATE INDEX momo_invoice_open_idx ON momo_invoice (status, expires_at) WHERE status IN ('PENDING', 'PAYING');
CREATE INDEX momo_invoice_callback_idx ON momo_invoice (callback_state) WHERE callback_state = 'DUE';

-- Append-only: every state change of an invoice, never updated or deleted.
CREATE TABLE momo_invoice_event (
    id          bigserial PRIMARY KEY,
    invoice_id  uuid NOT NULL REFERENCES momo_invoice (id),
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    from_status text,
    to_status   text NOT NULL,
    event       text NOT NULL,
    detail      text
);

CREATE INDEX momo_invoice_event_invoice_idx ON momo_invoice_event (invoice_id, id);

-- Every callback attempt for an invoice (MoMo sends once, so there is at most one per invoice).
CREATE TABLE momo_invoice_callback_attempt (
    id           bigserial PRIMARY KEY,
    invoice_id   uuid NOT NULL REFERENCES momo_invoice (id),
    url          text NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    http_status  integer,
    error        text,
    duration_ms  integer NOT NULL
);

CREATE INDEX momo_invoice_callback_attempt_idx ON momo_invoice_callback_attempt (invoice_id, id);
