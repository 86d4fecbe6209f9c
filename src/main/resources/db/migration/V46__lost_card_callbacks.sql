-- The simulated card issuers live in the gateway's process, as the operators do: a decision's
-- callback in flight when the process died died with it. A callback lost on purpose (the
-- lost-callbacks knob of CARD_ZAF) is marked here, so that the next start can tell the two apart
-- and check at once only the payments whose callback died (SimulatedIssuers.start).
ALTER TABLE sim_card_authorisation ADD COLUMN callback_lost boolean NOT NULL DEFAULT false;
