-- The card vault: cards linked to a customer's MSISDN. The PAN is kept only as AES-256-GCM
-- ciphertext (nonce || ciphertext || tag, the card id as associated data) under the key named
-- by key_id, and as a keyed HMAC-SHA256 lookup hash; BIN and last four are for display. No CVV,
-- PIN or PIN block has a column anywhere.
CREATE TABLE card (
    id             uuid PRIMARY KEY,
    msisdn         text NOT NULL,
    lookup_hash    char(64) NOT NULL,
    pan_ciphertext bytea NOT NULL,
    key_id         text NOT NULL,
    bin            char(6) NOT NULL CHECK (bin ~ '^[0-9]{6}$'),
    last4          char(4) NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
    expiry         char(7) NOT NULL CHECK (expiry ~ '^[0-9]{4}-[0-9]{2}$'),
    linked_at      timestamptz NOT NULL,
    delinked_at    timestamptz
);
CREATE UNIQUE INDEX card_linked_once ON card (msisdn, lookup_hash) WHERE delinked_at IS NULL;
CREATE INDEX card_by_hash ON card (lookup_hash);

-- The simulated issuing banks' books (sandbox only, like every sim_ table): card accounts
-- under the vault's lookup hash, the PIN as a slow hash, and authorisations by Kulipa's reference.
CREATE TABLE sim_card_account (
    lookup_hash  char(64) PRIMARY KEY,
    bank         text NOT NULL,
    bin          char(6) NOT NULL,
    last4        char(4) NOT NULL,
    expiry       char(7) NOT NULL,
    currency     char(3) NOT NULL,
    balance      numeric(38, 4) NOT NULL,
    credit_limit numeric(38, 4) NOT NULL CHECK (credit_limit >= 0),
    pin_hash     text NOT NULL,
    wrong_pins   integer NOT NULL DEFAULT 0,
    locked       boolean NOT NULL DEFAULT false,
    forced_code  char(2),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (balance + credit_limit >= 0)
);

CREATE TABLE sim_card_authorisation (
    reference     text PRIMARY KEY,
    provider_ref  text NOT NULL UNIQUE,
    operation     text NOT NULL,
    lookup_hash   char(64) NOT NULL,
    last4         char(4) NOT NULL,
    msisdn        text NOT NULL,
    amount        numeric(38, 4) NOT NULL,
    currency      char(3) NOT NULL,
    description   text,
    status        text NOT NULL CHECK (status IN ('AWAITING_PIN', 'APPROVED', 'DECLINED', 'EXPIRED', 'REJECTED')),
    planned       text NOT NULL,
    response_code char(2),
    failure_code  text,
    due_at        timestamptz NOT NULL,
    created_at    timestamptz NOT NULL,
    finished_at   timestamptz
);
CREATE INDEX sim_card_authorisation_due ON sim_card_authorisation (due_at) WHERE status = 'AWAITING_PIN';
CREATE INDEX sim_card_authorisation_msisdn ON sim_card_authorisation (msisdn) WHERE status = 'AWAITING_PIN';
