CREATE INDEX wallets_user ON wallets (user_id, created_at);
DROP INDEX wallets_user_id ON wallets;
