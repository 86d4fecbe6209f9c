-- Scan to Pay reversals the core refused (a closed correspondent, a wallet that cannot give the
-- money back...): how often, why last, when the sweep may try again (exponential back-off), and
-- when it stopped trying (parked: failed work for an operator, GET /ops/scantopay/reversals).
CREATE TABLE scantopay_reversal_refusal (
    purchase_id      uuid PRIMARY KEY REFERENCES payment (id),
    attempts         integer NOT NULL CHECK (attempts >= 0),
    last_reason      text NOT NULL,
    next_at          timestamptz NOT NULL,
    parked_at        timestamptz,
    first_refused_at timestamptz NOT NULL,
    last_refused_at  timestamptz NOT NULL
);
CREATE INDEX scantopay_reversal_refusal_parked ON scantopay_reversal_refusal (parked_at) WHERE parked_at IS NOT NULL;
