-- The USSD session gateway (issue 12): applications registered on a service code, and the
-- sessions the gateway runs between a handset and an application's callback URL.
CREATE TABLE ussd_application (
    id            uuid PRIMARY KEY,
    -- As dialled, normalised: '*120*777#'. One application per code.
    service_code  text        NOT NULL UNIQUE,
    callback_url  text        NOT NULL,
    name          text        NOT NULL,
    merchant_id   uuid REFERENCES merchant (id),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ussd_session (
    session_id     text PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES ussd_application (id) ON DELETE CASCADE,
    service_code   text        NOT NULL,
    msisdn         text        NOT NULL,
    network_code   text        NOT NULL,
    -- OPEN, ENDED, TIMED_OUT, FAILED, HUNG_UP
    state          text        NOT NULL,
    -- The customer's inputs so far, replayed to the application in 'text'. They may hold
    -- anything an application asked for (a PIN), so they are erased when the session closes.
    inputs         text[]      NOT NULL DEFAULT '{}',
    -- How many times the application has been called: the version a step claims.
    steps          integer     NOT NULL DEFAULT 0,
    screen         text,
    error          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (state = 'OPEN' OR cardinality(inputs) = 0)
);
CREATE INDEX ussd_session_msisdn ON ussd_session (msisdn, created_at DESC);
CREATE INDEX ussd_session_updated ON ussd_session (updated_at);
