-- Availability overrides, the outage monitor's verdicts and the simulated operators' outage knobs,
-- shared by every node on this database instead of kept in each node's memory (issue 13).

CREATE TABLE availability_override (
    correspondent text        NOT NULL,
    operation     text        NOT NULL CHECK (operation IN ('DEPOSIT', 'PAYOUT', 'REFUND')),
    status        text        NOT NULL CHECK (status IN ('OPERATIONAL', 'DELAYED', 'CLOSED')),
    set_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (correspondent, operation)
);

-- A correspondent the monitor of some node found degraded, until a probe finds it healthy.
CREATE TABLE availability_degraded (
    correspondent text        PRIMARY KEY,
    since         timestamptz NOT NULL DEFAULT now()
);

-- The sandbox's failure knobs of one simulated operator (PUT /sandbox/operators/{correspondent}).
CREATE TABLE sim_operator_knobs (
    correspondent  text        PRIMARY KEY,
    outage         boolean     NOT NULL,
    lose_callbacks boolean     NOT NULL,
    set_at         timestamptz NOT NULL DEFAULT now()
);
