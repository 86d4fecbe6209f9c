-- MoMo vouchers: money a merchant (agent) sends to an unregistered person, held in a system
-- voucher account of the ledger until another agent pays it out (redeem) or it goes back to
-- the creator (cancel). The voucher row holds the current state; every change is appended to
-- momo_voucher_event and never rewritten. Secrets and OTPs are stored only as salted hashes.

-- The voucher holding account is a ledger account of its own kind; it must never go below zero,
-- so no voucher can be paid out twice even if a state check were ever skipped.
ALTER TABLE ledger_account DROP CONSTRAINT ledger_account_kind_check;
ALTER TABLE ledger_account ADD CONSTRAINT ledger_account_kind_check
    CHECK (kind IN ('MERCHANT_WALLET', 'SETTLEMENT', 'EQUITY', 'VOUCHER'));

CREATE TABLE momo_voucher (
    id              uuid PRIMARY KEY,
    merchant_id     uuid NOT NULL REFERENCES merchant (id),
    reference_id    text NOT NULL,
    token           text NOT NULL UNIQUE,
    secret_hash     text NOT NULL,
    amount          numeric(38, 4) NOT NULL CHECK (amount > 0),
    currency        char(3) NOT NULL,
    country         char(3) NOT NULL,
    correspondent   text NOT NULL,
    external_id     text,
    message         text,
    receiver        jsonb NOT NULL,
    sender          jsonb,
    callback_url    text,
    status          text NOT NULL CHECK (status IN ('SUCCESSFUL', 'REDEEMED', 'CANCELLED', 'LOCKED')),
    failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    otps_sent       integer NOT NULL DEFAULT 0 CHECK (otps_sent >= 0),
    redeemed_by     uuid REFERENCES merchant (id),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (merchant_id, reference_id)
);

CREATE TABLE momo_voucher_event (
    id          bigserial PRIMARY KEY,
    voucher_id  uuid NOT NULL REFERENCES momo_voucher (id),
    event       text NOT NULL,
    status      text NOT NULL,
    actor       uuid REFERENCES merchant (id),
    transfer_id uuid REFERENCES ledger_transfer (id),
    detail      text,
    at          timestamptz NOT NULL
);

CREATE INDEX momo_voucher_event_voucher_idx ON momo_voucher_event (voucher_id, id);

CREATE TABLE momo_voucher_otp (
    id          bigserial PRIMARY KEY,
    voucher_id  uuid NOT NULL REFERENCES momo_voucher (id),
    use_case    text NOT NULL CHECK (use_case IN ('REDEEM', 'CANCEL')),
    otp_hash    text NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL
);

CREATE INDEX momo_voucher_otp_voucher_idx ON momo_voucher_otp (voucher_id, use_case, id);

CREATE TABLE momo_voucher_callback_attempt (
    id           bigserial PRIMARY KEY,
    voucher_id   uuid NOT NULL REFERENCES momo_voucher (id),
    url          text NOT NULL,
    http_status  integer,
    error        text,
    duration_ms  integer NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX momo_voucher_callback_voucher_idx ON momo_voucher_callback_attempt (voucher_id, id);
