-- Approvals that are not payments: MoMo pre-approvals and consent (KYC) requests. The
-- simulator keeps what the customer's handset shows (sim_approval, sim_kyc_profile); the core
-- keeps the merchant's side (momo_preapproval, momo_consent, momo_oauth2_token) and the record
-- of the one-shot callbacks it sends for them (momo_callback_attempt).

CREATE TABLE sim_approval (
    reference     text PRIMARY KEY,
    msisdn        text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('PREAPPROVAL', 'CONSENT')),
    description   text NOT NULL,
    status        text NOT NULL CHECK (status IN ('AWAITING_APPROVAL', 'APPROVED', 'REJECTED', 'EXPIRED')),
    planned       text NOT NULL CHECK (planned IN ('APPROVE', 'EXPIRE')),
    due_at        timestamptz NOT NULL,
    pin_attempts  integer NOT NULL DEFAULT 0,
    valid_until   timestamptz,
    created_at    timestamptz NOT NULL,
    finished_at   timestamptz
);

CREATE INDEX sim_approval_due_idx ON sim_approval (due_at) WHERE status = 'AWAITING_APPROVAL';
CREATE INDEX sim_approval_msisdn_idx ON sim_approval (msisdn, created_at);

-- A wallet's KYC profile when the sandbox user set one; otherwise it follows from the number.
CREATE TABLE sim_kyc_profile (
    msisdn      text PRIMARY KEY,
    given_name  text NOT NULL,
    family_name text NOT NULL,
    gender      text NOT NULL,
    birth_date  date NOT NULL,
    locale      text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The id is the merchant's X-Reference-Id; it is also the reference of the handset's approval.
CREATE TABLE momo_preapproval (
    id             uuid PRIMARY KEY,
    merchant_id    uuid NOT NULL REFERENCES merchant (id),
    api_user_id    uuid NOT NULL REFERENCES momo_api_user (id),
    correspondent  text NOT NULL,
    msisdn         text NOT NULL,
    currency       char(3) NOT NULL,
    payer_message  text,
    validity_secs  bigint NOT NULL CHECK (validity_secs > 0),
    callback_url   text,
    callback_method text CHECK (callback_method IN ('PUT', 'POST')),
    status         text NOT NULL CHECK (status IN ('PENDING', 'SUCCESSFUL', 'FAILED')),
    reason         text,
    expires_at     timestamptz NOT NULL,
    created_at     timestamptz NOT NULL,
    finished_at    timestamptz
);

CREATE INDEX momo_preapproval_payer_idx ON momo_preapproval (merchant_id, msisdn, currency, expires_at)
    WHERE status = 'SUCCESSFUL';

-- auth_req_id is a secret: only its SHA-256 digest is kept.
CREATE TABLE momo_consent (
    id             uuid PRIMARY KEY,
    auth_req_digest text NOT NULL UNIQUE,
    merchant_id    uuid NOT NULL REFERENCES merchant (id),
    api_user_id    uuid NOT NULL REFERENCES momo_api_user (id),
    product        text NOT NULL CHECK (product IN ('collection', 'disbursement', 'remittance')),
    msisdn         text NOT NULL,
    scope          text NOT NULL,
    access_type    text NOT NULL CHECK (access_type IN ('online', 'offline')),
    callback_url   text,
    status         text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'REDEEMED')),
    expires_at     timestamptz NOT NULL,
    created_at     timestamptz NOT NULL,
    finished_at    timestamptz
);

-- Access and refresh tokens of a redeemed consent, as digests.
CREATE TABLE momo_oauth2_token (
    token_digest   text PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('ACCESS', 'REFRESH')),
    consent_id     uuid NOT NULL REFERENCES momo_consent (id),
    merchant_id    uuid NOT NULL REFERENCES merchant (id),
    api_user_id    uuid NOT NULL REFERENCES momo_api_user (id),
    msisdn         text NOT NULL,
    scope          text NOT NULL,
    issued_at      timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    CHECK (expires_at > issued_at)
);

CREATE TABLE momo_callback_attempt (
    id           bigserial PRIMARY KEY,
    subject      text NOT NULL,
    subject_id   text NOT NULL,
    url          text NOT NULL,
    method       text NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    http_status  integer,
    error        text,
    duration_ms  integer NOT NULL
);

CREATE INDEX momo_callback_attempt_subject_idx ON momo_callback_attempt (subject, subject_id, id);
