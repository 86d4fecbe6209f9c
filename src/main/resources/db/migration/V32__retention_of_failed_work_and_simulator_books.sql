-- Retention (CleaningUpOldRecords) also deletes FAILED outbox rows (after four times the retention),
-- and the simulated operators' finished transactions and decided approvals; these indexes let each
-- batch find its oldest rows without scanning the tables.
CREATE INDEX outbox_failed_finished_idx ON outbox (finished_at) WHERE state = 'FAILED';
CREATE INDEX sim_transaction_finished_idx ON sim_transaction (finished_at) WHERE status IN ('COMPLETED', 'FAILED');
CREATE INDEX sim_approval_finished_idx ON sim_approval (finished_at) WHERE status <> 'AWAITING_APPROVAL';
