-- Retention (CleaningUpOldRecords) finds old rows by time and deletes outbox rows only once no
-- callback attempt names them; without these indexes each batch would scan whole tables, and
-- each deleted outbox row would scan callback_attempt for its foreign key.
CREATE INDEX outbox_done_finished_idx ON outbox (finished_at) WHERE state = 'DONE';
CREATE INDEX callback_attempt_outbox_idx ON callback_attempt (outbox_id) WHERE outbox_id IS NOT NULL;
CREATE INDEX callback_attempt_attempted_idx ON callback_attempt (attempted_at);
CREATE INDEX sim_sms_at_idx ON sim_sms (at);
