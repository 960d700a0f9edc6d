-- The keyset of GET /v1/wallets: a user's wallets in id order, one page at a time.
CREATE INDEX wallets_user_id ON wallets (user_id, id);
