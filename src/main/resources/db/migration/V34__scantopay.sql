-- Scan to Pay (WIG): a merchant's profile (one authentication mode, roles), its codes, and the
-- numeric transaction ids of its card purchases. Secrets are kept as digests (the Basic
-- password) or sealed under the card key (the notification key, which Kulipa must use to encrypt).
CREATE TABLE scantopay_profile (
    merchant_id          uuid PRIMARY KEY REFERENCES merchant (id),
    username             text NOT NULL UNIQUE,
    auth_mode            text NOT NULL CHECK (auth_mode IN ('BASIC', 'BEARER')),
    password_digest      text,
    public_key_pem       text,
    roles                text NOT NULL,
    suspended            boolean NOT NULL DEFAULT false,
    notification_url     text,
    notification_key     bytea,
    notification_key_id  text,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK ((auth_mode = 'BASIC' AND password_digest IS NOT NULL AND public_key_pem IS NULL)
        OR (auth_mode = 'BEARER' AND public_key_pem IS NOT NULL AND password_digest IS NULL))
);

CREATE TABLE scantopay_code (
    code               char(10) PRIMARY KEY CHECK (code ~ '^[0-9]{10}$'),
    merchant_id        uuid NOT NULL REFERENCES merchant (id),
    amount             numeric(38, 4),
    merchant_reference text NOT NULL,
    use_once           boolean NOT NULL,
    expires_at         timestamptz,
    short_description  text,
    uses               integer NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scantopay_code_reference ON scantopay_code (merchant_id, merchant_reference);

-- Scan to Pay's transaction ids are numbers (originalTxId: 81234); a purchase's is its client id.
CREATE SEQUENCE scantopay_tx_id START 81000;

-- Airtime bought per MSISDN and day, checked against the limits under a lock of the day's row.
CREATE TABLE scantopay_airtime_day (
    msisdn  text NOT NULL,
    day     date NOT NULL,
    amount  numeric(38, 4) NOT NULL DEFAULT 0,
    count   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (msisdn, day)
);

-- The fail-safe's sweep reads the successful WIG purchases that have a notification URL.
CREATE INDEX payment_scantopay_notified_idx ON payment (updated_at)
    WHERE dialect = 'scantopay' AND kind = 'DEPOSIT' AND state = 'COMPLETED' AND callback_url IS NOT NULL;
