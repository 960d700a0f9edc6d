-- The keyset of GET /v1/wallets: a user's wallets in id order, one page at a time. It replaces the
-- (user_id, created_at) index, whose only query was the unpaged list; the user_id foreign key uses the new one.
CREATE INDEX wallets_user_id ON wallets (user_id, id);
DROP INDEX wallets_user ON wallets;
