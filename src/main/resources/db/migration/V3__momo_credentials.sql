-- MTN MoMo credentials: subscription keys per merchant and product, API users (sandbox
-- provisioning), their API keys and the access tokens issued to them. Every secret is kept as
-- its SHA-256 digest (hex), never in clear.

-- A merchant holds one key per product. The same key may serve several products of the same
-- merchant (the sandbox demo merchant has one key for all three); JdbiMomoCredentialStore
-- refuses a digest already held by another merchant.
CREATE TABLE momo_subscription_key (
    key_digest  text NOT NULL,
    product     text NOT NULL CHECK (product IN ('collection', 'disbursement', 'remittance')),
    merchant_id uuid NOT NULL REFERENCES merchant (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key_digest, product),
    CONSTRAINT momo_subscription_key_one_per_product UNIQUE (merchant_id, product)
);

-- The id is the X-Reference-Id the client chose when it created the user.
CREATE TABLE momo_api_user (
    id                     uuid PRIMARY KEY,
    merchant_id            uuid NOT NULL REFERENCES merchant (id),
    provider_callback_host text NOT NULL,
    created_at             timestamptz NOT NULL
);

CREATE INDEX momo_api_user_merchant_idx ON momo_api_user (merchant_id);

-- One key per API user: a new key replaces the old one.
CREATE TABLE momo_api_key (
    api_user_id uuid PRIMARY KEY REFERENCES momo_api_user (id),
    key_digest  text NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Tokens live for an hour; expired ones of a user are deleted when that user gets a new one.
CREATE TABLE momo_access_token (
    token_digest text PRIMARY KEY,
    api_user_id  uuid NOT NULL REFERENCES momo_api_user (id),
    merchant_id  uuid NOT NULL REFERENCES merchant (id),
    product      text NOT NULL CHECK (product IN ('collection', 'disbursement', 'remittance')),
    issued_at    timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    CHECK (expires_at > issued_at)
);

CREATE INDEX momo_access_token_user_idx ON momo_access_token (api_user_id, expires_at);
