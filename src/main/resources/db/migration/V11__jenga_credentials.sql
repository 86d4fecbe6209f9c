-- Jenga (Finserve) credentials: per merchant a merchant code, an Api-Key and a consumer secret
-- (both kept as SHA-256 digests in hex, never in clear), the RSA public key (PEM) that request
-- signatures are verified with, the account numbers a push may credit, and the access tokens
-- issued to the merchant (digests too).

CREATE TABLE jenga_merchant (
    merchant_id     uuid PRIMARY KEY REFERENCES merchant (id),
    merchant_code   text NOT NULL UNIQUE,
    api_key_digest  text NOT NULL UNIQUE,
    secret_digest   text NOT NULL,
    public_key_pem  text,
    updated_at      timestamptz NOT NULL
);

-- merchant.accountNumber of a push: the account credited on completion, one merchant's each.
CREATE TABLE jenga_account (
    account_number text PRIMARY KEY,
    merchant_id    uuid NOT NULL REFERENCES merchant (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX jenga_account_merchant_idx ON jenga_account (merchant_id);

-- Expired tokens of a merchant are deleted when the merchant is given a new one.
CREATE TABLE jenga_access_token (
    token_digest   text PRIMARY KEY,
    refresh_digest text NOT NULL UNIQUE,
    merchant_id    uuid NOT NULL REFERENCES merchant (id),
    issued_at      timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    CHECK (expires_at > issued_at)
);

CREATE INDEX jenga_access_token_merchant_idx ON jenga_access_token (merchant_id, expires_at);
