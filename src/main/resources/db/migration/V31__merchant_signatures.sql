-- Signed requests and signed callbacks per merchant (RFC 9421 with Content-Digest, as pawaPay does).
CREATE TABLE merchant_signature (
    merchant_id          uuid PRIMARY KEY REFERENCES merchant (id),
    -- The merchant's public key (PEM) its signed deposits, payouts and refunds are verified with.
    public_key           text,
    only_signed_requests boolean     NOT NULL DEFAULT false,
    sign_callbacks       boolean     NOT NULL DEFAULT false,
    -- Kulipa's ECDSA P-256 key for this merchant's callbacks: its id, public half (PEM) and
    -- private half (PKCS#8 DER, base64). Every node signs with it, so it lives with the data.
    callback_key_id      text        NOT NULL,
    callback_public_key  text        NOT NULL,
    callback_private_key text        NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT only_signed_requests OR public_key IS NOT NULL)
);
