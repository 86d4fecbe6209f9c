-- Scan to Pay Remote API: wallet brands (a bank app, a fintech wallet) and the manager profile a
-- brand's backend authenticates as. A manager is in one mode: BASIC (username + password, kept
-- only as a SHA-256 digest) or BEARER (a registered RSA public key that verifies its JWTs);
-- switching the mode clears the other mode's credentials, which the CHECK keeps true.

CREATE TABLE stp_remote_brand (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL
);

CREATE TABLE stp_remote_manager (
    brand_id         uuid PRIMARY KEY REFERENCES stp_remote_brand (id),
    username         text NOT NULL UNIQUE,
    auth_mode        text NOT NULL CHECK (auth_mode IN ('BASIC', 'BEARER')),
    password_digest  text,
    public_key_pem   text,
    updated_at       timestamptz NOT NULL,
    CHECK ((auth_mode = 'BASIC' AND password_digest IS NOT NULL AND public_key_pem IS NULL)
        OR (auth_mode = 'BEARER' AND public_key_pem IS NOT NULL AND password_digest IS NULL))
);

-- One wallet profile per MSISDN (international digits, no '+') per brand.
CREATE TABLE stp_remote_profile (
    id          uuid PRIMARY KEY,
    brand_id    uuid NOT NULL REFERENCES stp_remote_brand (id),
    msisdn      text NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (brand_id, msisdn)
);

-- A 3-D Secure challenge of the simulated ACS: the OTP sent to the handset and the paRes the ACS
-- page answers are kept only as digests; the card only as a keyed hash and its last four.
CREATE TABLE stp_remote_secure_code (
    id              text PRIMARY KEY,
    brand_id        uuid NOT NULL REFERENCES stp_remote_brand (id),
    msisdn          text NOT NULL,
    transaction_id  text NOT NULL,
    card_hash       text NOT NULL,
    last_four       text NOT NULL,
    otp_digest      text NOT NULL,
    attempts        int NOT NULL DEFAULT 0,
    status          text NOT NULL CHECK (status IN ('CHALLENGED', 'AUTHENTICATED', 'FAILED', 'USED')),
    pares_digest    text,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);

CREATE INDEX stp_remote_secure_code_brand_idx ON stp_remote_secure_code (brand_id, created_at);
