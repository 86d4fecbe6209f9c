-- Double-entry ledger. Accounts carry running totals of pending and posted debits and
-- credits; transfers are immutable rows. A pending transfer is resolved (posted or voided) by
-- exactly one later transfer that points at it. An account that must not go below zero has
-- the rule as a CHECK, so no interleaving of transactions can break it.

CREATE TABLE ledger_account (
    code            text PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('MERCHANT_WALLET', 'SETTLEMENT', 'EQUITY')),
    currency        char(3) NOT NULL,
    merchant_id     uuid REFERENCES merchant (id),
    country         char(3),
    no_overdraft    boolean NOT NULL,
    debits_pending  numeric(38, 4) NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    debits_posted   numeric(38, 4) NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_pending numeric(38, 4) NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    credits_posted  numeric(38, 4) NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_account_no_overdraft
        CHECK (NOT no_overdraft OR debits_pending + debits_posted <= credits_posted)
);

CREATE INDEX ledger_account_merchant_idx ON ledger_account (merchant_id) WHERE merchant_id IS NOT NULL;

CREATE TABLE ledger_transfer (
    id             uuid PRIMARY KEY,
    payment_id     uuid REFERENCES payment (id),
    kind           text NOT NULL CHECK (kind IN ('POSTED', 'PENDING', 'POST_PENDING', 'VOID_PENDING')),
    debit_account  text NOT NULL REFERENCES ledger_account (code),
    credit_account text NOT NULL REFERENCES ledger_account (code),
    amount         numeric(38, 4) NOT NULL CHECK (amount > 0),
    currency       char(3) NOT NULL,
    pending_id     uuid UNIQUE REFERENCES ledger_transfer (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (debit_account <> credit_account),
    CHECK ((kind IN ('POST_PENDING', 'VOID_PENDING')) = (pending_id IS NOT NULL))
);

CREATE INDEX ledger_transfer_payment_idx ON ledger_transfer (payment_id);

-- Refunds point at the deposit they return money from.
ALTER TABLE payment ADD COLUMN related_payment_id uuid REFERENCES payment (id);
CREATE INDEX payment_related_idx ON payment (related_payment_id) WHERE related_payment_id IS NOT NULL;
