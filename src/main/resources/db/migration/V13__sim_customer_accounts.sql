-- Accounts a simulated customer holds at an operator besides the wallet, which stays the
-- customer's primary account. A prompt that lets the customer choose (Jenga's STK push) lists
-- them on the virtual handset; the chosen one is debited. Sandbox only, like every sim_ table.
CREATE TABLE sim_account (
    msisdn     text NOT NULL,
    number     text NOT NULL,
    name       text NOT NULL,
    currency   char(3) NOT NULL,
    balance    numeric(38, 4) NOT NULL CHECK (balance >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (msisdn, number)
);
