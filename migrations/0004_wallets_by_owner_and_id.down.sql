DROP INDEX wallets_user_id ON wallets;
