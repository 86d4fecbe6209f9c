-- Kulipa core schema: merchants, payments with their append-only history, the outbox of
-- durable work, and the record of every webhook attempt.

CREATE TABLE merchant (
    id                   uuid PRIMARY KEY,
    name                 text NOT NULL UNIQUE,
    token_digest         text NOT NULL UNIQUE,
    correspondents       text[] NOT NULL DEFAULT '{}',
    deposit_callback_url text,
    payout_callback_url  text,
    refund_callback_url  text,
    created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payment (
    id                     uuid PRIMARY KEY,
    merchant_id            uuid NOT NULL REFERENCES merchant (id),
    kind                   text NOT NULL CHECK (kind IN ('DEPOSIT', 'PAYOUT', 'REFUND')),
    client_ref             text NOT NULL,
    dialect                text NOT NULL,
    state                  text NOT NULL CHECK (state IN ('ACCEPTED', 'ENQUEUED', 'IN_DOUBT', 'SUBMITTED', 'COMPLETED', 'FAILED')),
    amount                 numeric(38, 4) NOT NULL CHECK (amount >= 0),
    amount_text            text NOT NULL,
    currency               char(3) NOT NULL,
    country                char(3) NOT NULL,
    correspondent          text NOT NULL,
    msisdn                 text NOT NULL,
    customer_timestamp     text,
    statement_description  text,
    pre_authorisation_code text,
    metadata               jsonb NOT NULL DEFAULT '[]',
    fingerprint            text NOT NULL,
    callback_url           text,
    processed_amount       numeric(38, 4),
    failure_code           text,
    failure_message        text,
    provider_ref           text,
    correspondent_ids      jsonb NOT NULL DEFAULT '{}',
    responded_at           timestamptz,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    CONSTRAINT payment_client_ref_unique UNIQUE (merchant_id, kind, client_ref)
);

CREATE INDEX payment_state_idx ON payment (state) WHERE state NOT IN ('COMPLETED', 'FAILED');

-- Append-only: every state change and every notable event of a payment.
CREATE TABLE payment_event (
    id         bigserial PRIMARY KEY,
    payment_id uuid NOT NULL REFERENCES payment (id),
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    from_state text,
    to_state   text,
    event      text NOT NULL,
    detail     text
);

CREATE INDEX payment_event_payment_idx ON payment_event (payment_id, id);

-- Durable work, written in the same transaction as the payment change that needs it.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('SUBMIT', 'CHECK', 'WEBHOOK')),
    payment_id  uuid NOT NULL REFERENCES payment (id),
    state       text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DONE', 'FAILED')),
    due_at      timestamptz NOT NULL,
    attempts    integer NOT NULL DEFAULT 0,
    lease_owner text,
    lease_until timestamptz,
    payload     text,
    last_error  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);

CREATE INDEX outbox_due_idx ON outbox (kind, due_at) WHERE state = 'PENDING';
CREATE INDEX outbox_payment_idx ON outbox (payment_id, kind, id);

CREATE TABLE webhook_attempt (
    id           bigserial PRIMARY KEY,
    outbox_id    bigint NOT NULL REFERENCES outbox (id),
    payment_id   uuid NOT NULL REFERENCES payment (id),
    url          text,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    http_status  integer,
    error        text,
    duration_ms  integer NOT NULL
);

CREATE INDEX webhook_attempt_payment_idx ON webhook_attempt (payment_id, id);

-- The sandbox operators' own books. In production these tables stay empty.
CREATE TABLE sim_wallet (
    msisdn        text PRIMARY KEY,
    currency      char(3) NOT NULL,
    balance       numeric(38, 4) NOT NULL CHECK (balance >= 0),
    pin           text NOT NULL,
    approval_mode text CHECK (approval_mode IN ('auto', 'manual')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sim_transaction (
    reference      text PRIMARY KEY,
    provider_ref   text NOT NULL UNIQUE,
    operation      text NOT NULL,
    correspondent  text NOT NULL,
    msisdn         text NOT NULL,
    amount         numeric(38, 4) NOT NULL,
    currency       char(3) NOT NULL,
    description    text,
    status         text NOT NULL CHECK (status IN ('PROCESSING', 'AWAITING_APPROVAL', 'STUCK', 'COMPLETED', 'FAILED')),
    planned        text NOT NULL,
    failure_code   text,
    due_at         timestamptz NOT NULL,
    expires_at     timestamptz,
    pin_attempts   integer NOT NULL DEFAULT 0,
    send_callback  boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);

CREATE INDEX sim_transaction_due_idx ON sim_transaction (due_at) WHERE status IN ('PROCESSING', 'AWAITING_APPROVAL');
CREATE INDEX sim_transaction_msisdn_idx ON sim_transaction (msisdn, created_at);

CREATE TABLE sim_sms (
    id     bigserial PRIMARY KEY,
    msisdn text NOT NULL,
    at     timestamptz NOT NULL DEFAULT now(),
    sender text NOT NULL,
    text   text NOT NULL
);

CREATE INDEX sim_sms_msisdn_idx ON sim_sms (msisdn, id);
