-- pawaPay Payment Page sessions (POST /v1/widget/sessions): what the merchant fixed for the
-- customer's deposit, until the customer starts it on the hosted page /pay/{token}.
-- The token of the redirectUrl and the cookie that binds the page to the first browser that
-- opened it are kept only as SHA-256 digests (payments.Secrets).
CREATE TABLE pawapay_payment_page_session (
    id                    uuid PRIMARY KEY,
    merchant_id           uuid NOT NULL REFERENCES merchant (id),
    deposit_id            text NOT NULL,
    token_digest          text NOT NULL UNIQUE,
    browser_digest        text,
    fingerprint           text NOT NULL,
    return_url            text NOT NULL,
    statement_description text,
    amount                text,
    msisdn                text,
    country               text,
    reason                text,
    language              text,
    metadata              jsonb NOT NULL DEFAULT '[]',
    created_at            timestamptz NOT NULL,
    link_expires_at       timestamptz NOT NULL,
    expires_at            timestamptz NOT NULL,
    opened_at             timestamptz,
    UNIQUE (merchant_id, deposit_id)
);
