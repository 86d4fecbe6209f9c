-- Jenga pushes that ended in callback code 2 (AWAITING_THIRD_PARTY_SETTLEMENT) or 4
-- (AWAITING-SETTLEMENT) keep their money in a settlement-suspense ledger account until an ops
-- action settles it (the merchant's wallet is credited) or returns it (to the customer). One
-- decision per push, never rewritten; the ledger postings are written in the same transaction.
CREATE TABLE jenga_settlement (
    payment_id  uuid PRIMARY KEY REFERENCES payment (id),
    merchant_id uuid NOT NULL REFERENCES merchant (id),
    decision    text NOT NULL CHECK (decision IN ('SETTLED', 'RETURNED')),
    amount      numeric(38, 4) NOT NULL CHECK (amount > 0),
    charge      numeric(38, 4) NOT NULL CHECK (charge >= 0),
    decided_at  timestamptz NOT NULL
);
