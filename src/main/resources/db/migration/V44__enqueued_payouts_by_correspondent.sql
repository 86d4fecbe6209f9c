-- The release of enqueued payouts read the oldest 500 of the queue and skipped those whose
-- correspondent was still not taking payouts: with 500 or more queued for a correspondent that
-- stays down, the payouts of one that came back behind them were never read. The queue now
-- keeps each payout's correspondent, and the release reads, oldest first, only the payouts of
-- correspondents that take payouts again.
ALTER TABLE payment_enqueued ADD COLUMN correspondent text;
UPDATE payment_enqueued e SET correspondent = p.correspondent FROM payment p WHERE p.id = e.payment_id;
ALTER TABLE payment_enqueued ALTER COLUMN correspondent SET NOT NULL;
DROP INDEX payment_enqueued_created_idx;
CREATE INDEX payment_enqueued_correspondent_idx ON payment_enqueued (correspondent, created_at, payment_id);

CREATE OR REPLACE FUNCTION payment_enqueued_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state = 'ENQUEUED' THEN
        INSERT INTO payment_enqueued (payment_id, created_at, correspondent)
        VALUES (NEW.id, NEW.created_at, NEW.correspondent)
        ON CONFLICT (payment_id) DO NOTHING;
    ELSE
        DELETE FROM payment_enqueued WHERE payment_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
