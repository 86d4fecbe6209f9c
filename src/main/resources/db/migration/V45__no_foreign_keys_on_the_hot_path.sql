-- Issue 14 (ADR 28): the foreign keys that every deposit checks row by row, and that guard
-- nothing the code could get wrong, go. Each was a query per inserted row (SELECT ... FOR KEY
-- SHARE of the parent) and a row lock on the parent: payment -> merchant locked the one merchant
-- row of every payment a merchant makes, from every writer at once (a multixact per batch), and
-- the history, the jobs and the webhook attempts locked their payment's row again after its insert.
-- Measured on the accept path alone: 0.174 -> 0.141 ms of PostgreSQL CPU per deposit.
--
-- What stays true without them: payments and merchants are never deleted (retention removes
-- finished jobs and webhook attempts, children first, never a payment); every row of the three
-- child tables is written in the transaction that writes its payment, or after it by a job that
-- read the payment. OrphanRowsTest holds the tables to that after duplicate storms, crashes and
-- takeovers. The ledger keeps all of its foreign keys: transfers name their accounts and their
-- reservation, and the payment they belong to.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT con.conrelid::regclass AS tab, con.conname
        FROM pg_constraint con
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
        WHERE con.contype = 'f'
          AND (con.conrelid::regclass::text, a.attname, con.confrelid::regclass::text) IN (
              ('payment', 'merchant_id', 'merchant'),
              ('payment_event', 'payment_id', 'payment'),
              ('outbox', 'payment_id', 'payment'),
              ('callback_attempt', 'payment_id', 'payment'),
              ('callback_attempt', 'outbox_id', 'outbox'))
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tab, c.conname);
    END LOOP;
END $$;
