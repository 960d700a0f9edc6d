DROP TABLE entries;
DROP TABLE transactions;
DROP TABLE wallets;
