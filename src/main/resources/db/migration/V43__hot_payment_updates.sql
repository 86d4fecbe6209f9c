-- Issue 14 (ADR 25): a payment's state changes become HOT updates. PostgreSQL can update a row in
-- place on its page, without a new entry in every index, only when no index covers (as a key,
-- an expression or a partial index's condition) a column the update changes. A state change
-- writes state, updated_at and the outcome's columns; two indexes covered them, so each of a
-- deposit's three state changes added an entry to every index of the table (four or five).

-- 1. Enqueued payouts: the one reader of payment_state_idx. A small table of the payouts waiting
--    in the queue, kept by triggers, so that no writer can forget it; the triggers' WHEN
--    conditions are checked without calling the function, so other rows cost next to nothing.
CREATE TABLE payment_enqueued (
    payment_id uuid PRIMARY KEY REFERENCES payment (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL
);
CREATE INDEX payment_enqueued_created_idx ON payment_enqueued (created_at, payment_id);

INSERT INTO payment_enqueued (payment_id, created_at)
SELECT id, created_at FROM payment WHERE state = 'ENQUEUED';

CREATE FUNCTION payment_enqueued_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state = 'ENQUEUED' THEN
        INSERT INTO payment_enqueued (payment_id, created_at) VALUES (NEW.id, NEW.created_at)
        ON CONFLICT (payment_id) DO NOTHING;
    ELSE
        DELETE FROM payment_enqueued WHERE payment_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER payment_enqueued_on_insert AFTER INSERT ON payment
    FOR EACH ROW WHEN (NEW.state = 'ENQUEUED') EXECUTE FUNCTION payment_enqueued_keep();
CREATE TRIGGER payment_enqueued_on_update AFTER UPDATE OF state ON payment
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state AND (OLD.state = 'ENQUEUED' OR NEW.state = 'ENQUEUED'))
    EXECUTE FUNCTION payment_enqueued_keep();

DROP INDEX payment_state_idx;

-- 2. The Scan to Pay fail-safe sweeps (WIG and Remote API) read successful purchases with a
--    notification URL by their last change (updated_at, and state in the index's condition).
--    They now find them by creation time among the purchases with a notification URL (columns a
--    state change never writes) and check state and updated_at on the rows. A purchase is not
--    looked at once it is older than the sweep's look-back (two days): purchases finish in
--    minutes. The Remote API's sweep had no index and now uses this one too.
DROP INDEX payment_scantopay_notified_idx;
CREATE INDEX payment_scantopay_purchase_idx ON payment (created_at)
    WHERE dialect IN ('scantopay', 'scantopay-remote') AND kind = 'DEPOSIT' AND callback_url IS NOT NULL;

-- 3. Room on each page for a row's next version. A HOT update needs free space on the row's own
--    page, and one batch's state change (one statement) may change every row of a page, whose
--    old versions cannot be pruned until it commits; the next batch prunes them. Pages filled
--    at insert to half leave room for each row's next version: with 80 % full pages about half of
--    a batch's changes were HOT, with 65 % about three quarters (HotPaymentUpdatesTest). The heap
--    is larger, but non-HOT updates left a dead version per change until VACUUM anyway, and an
--    entry in every index besides.
ALTER TABLE payment SET (fillfactor = 50);
