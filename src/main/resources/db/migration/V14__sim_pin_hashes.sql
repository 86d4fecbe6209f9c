-- Simulated wallets keep a slow salted hash of the customer's PIN (PBKDF2-HMAC-SHA256, a salt
-- per wallet; see providers/simulator/SimPin), never the PIN. A wallet with no pin_hash keeps
-- the operator's opening PIN, which is a setting and needs no storing.
--
-- Existing clear PINs cannot be converted here: PostgreSQL has no PBKDF2 (pgcrypto, which the
-- embedded server ships but an external one may lack or refuse to install, offers crypt() with
-- bcrypt and older schemes only), and a second hash format would need a second check. So the
-- clear column stays nullable for old rows and the store converts them: all of them when the
-- simulator starts (the opening PIN to no hash, any other to its hash, clearing the column in the
-- same update), and any left over the first time the row is read. Nothing writes it any more.
ALTER TABLE sim_wallet ADD COLUMN pin_hash text;
ALTER TABLE sim_wallet ALTER COLUMN pin DROP NOT NULL;
COMMENT ON COLUMN sim_wallet.pin IS 'clear PIN of a wallet of before V14, converted to pin_hash by the store; always NULL after';
