-- Scan to Pay Remote API VAS (issue 11, part 6): what a VAS purchase delivered once its payment
-- completed, one row per purchase (the primary key makes a second delivery impossible): airtime
-- credited to the destination MSISDN's simulated handset, or a prepaid electricity token.
CREATE TABLE stp_remote_vas_delivery (
    transaction_id  text PRIMARY KEY REFERENCES stp_remote_transaction (transaction_id),
    product         text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('AIRTIME', 'TOKEN')),
    destination     text NOT NULL,
    amount          numeric(38, 4) NOT NULL CHECK (amount > 0),
    token           text,
    delivered_at    timestamptz NOT NULL
);
CREATE INDEX stp_remote_vas_delivery_destination ON stp_remote_vas_delivery (destination);
-- What the delivery sweep looks at: bought VAS purchases (few; the sweep runs every second).
CREATE INDEX stp_remote_transaction_vas ON stp_remote_transaction (purchased_at)
    WHERE kind = 'VAS' AND status = 'PURCHASED';
