-- The ops dashboard lists payments newest first (store.JdbiPaymentSearch): without this index
-- each page of the list would sort the whole payment table.
CREATE INDEX payment_created_idx ON payment (created_at DESC, id);
