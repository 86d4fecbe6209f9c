-- Scan to Pay Remote API purchases (issue 11, part 2).
--
-- A lookup (generateTransactionId) and what it resolved: the single-use transactionId, the code or
-- VAS product, the merchant and amount, the inputs it asks for and those the wallet gave (contact,
-- shipping, billing, references: no card data), and, once bought, the payment and the card's
-- lookup hash (the card vault's keyed hash, never the PAN) that a retry must carry again; a
-- purchase in progress holds the row as PURCHASING (claimed_at) so parallel retries make one payment. The
-- device's position is kept for the velocity check of the next purchase of the wallet profile.
CREATE TABLE stp_remote_transaction (
    transaction_id  text PRIMARY KEY,
    brand_id        uuid NOT NULL REFERENCES stp_remote_brand (id),
    msisdn          text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('CODE', 'VAS')),
    value           text NOT NULL,
    code            text,
    vas_product     text,
    merchant_id     uuid NOT NULL,
    amount          numeric(38, 4),
    poi             char(2) NOT NULL CHECK (poi IN ('11', '12')),
    inputs_needed   text NOT NULL DEFAULT '',
    inputs          jsonb NOT NULL DEFAULT '{}'::jsonb,
    status          text NOT NULL CHECK (status IN ('NEED_INPUT', 'READY', 'PURCHASING', 'PURCHASED')),
    payment_id      uuid,
    card_hash       char(64),
    card_expiry     char(4),
    latitude        numeric(9, 6),
    longitude       numeric(9, 6),
    fraud_flag      text,
    created_at      timestamptz NOT NULL,
    claimed_at      timestamptz,
    purchased_at    timestamptz
);
CREATE INDEX stp_remote_transaction_history ON stp_remote_transaction (brand_id, msisdn, purchased_at DESC)
    WHERE status = 'PURCHASED';
CREATE INDEX stp_remote_transaction_created ON stp_remote_transaction (created_at);

-- The inputs a Scan to Pay code asks a wallet for before it can be paid (set by operations).
CREATE TABLE stp_remote_code_inputs (
    code        text PRIMARY KEY,
    inputs      text NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- The simulated issuers' cardholder verifications (sandbox only, like every sim_ table): a PIN
-- checked (or a 3-D Secure result taken) before a purchase is submitted, as the response code it
-- led to. The PIN itself is never kept; the purchase carries only the verification's id.
CREATE TABLE sim_card_verification (
    id             text PRIMARY KEY,
    lookup_hash    char(64) NOT NULL,
    method         text NOT NULL CHECK (method IN ('PIN', '3DS')),
    response_code  char(2) NOT NULL,
    created_at     timestamptz NOT NULL
);
