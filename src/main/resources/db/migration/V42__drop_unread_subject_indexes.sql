-- Issue 14: no statement reads the outbox or the callback attempts by subject (jobs are found by
-- id, by payment, or by kind and due time; attempts by payment, by job and by age), yet every job
-- insert and settlement, and every attempt, added an entry to these indexes: seven of a deposit's
-- index entries. The indexes by payment stay.
DROP INDEX IF EXISTS outbox_subject_idx;
DROP INDEX IF EXISTS callback_attempt_subject_idx;
