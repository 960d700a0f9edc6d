-- The privileges of the account that `wallet serve` connects as: no more than the service does, so that no bug and
-- no stolen password of the service can change or delete a ledger row (transactions and entries: SELECT and INSERT
-- only). Migrations run as another account (see README, Migrations). Create the account first, for example
--   CREATE USER 'wallet_app'@'%' IDENTIFIED BY '…';
-- then run this file as an administrator (replace `wallet` if the database has another name). A migration that adds
-- a table, or a statement that the service runs on a table in a new way, adds its grant here.
GRANT SELECT, INSERT ON wallet.principals TO 'wallet_app'@'%';
GRANT SELECT, INSERT ON wallet.users TO 'wallet_app'@'%';
GRANT SELECT, INSERT ON wallet.applications TO 'wallet_app'@'%';
GRANT SELECT, INSERT, UPDATE ON wallet.api_keys TO 'wallet_app'@'%';
GRANT SELECT, INSERT, DELETE ON wallet.sessions TO 'wallet_app'@'%';
GRANT SELECT, INSERT, UPDATE ON wallet.wallets TO 'wallet_app'@'%';
GRANT SELECT, INSERT ON wallet.transactions TO 'wallet_app'@'%';
GRANT SELECT, INSERT ON wallet.entries TO 'wallet_app'@'%';
GRANT SELECT, INSERT, UPDATE ON wallet.holds TO 'wallet_app'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON wallet.idempotency_keys TO 'wallet_app'@'%';
-- Events: inserted with their change, given a feed position once (UPDATE), deleted past their retention.
GRANT SELECT, INSERT, UPDATE, DELETE ON wallet.events TO 'wallet_app'@'%';
GRANT SELECT, UPDATE ON wallet.event_feed TO 'wallet_app'@'%';
-- Webhooks: endpoints managed by their owners; deliveries queued, claimed and resolved, deleted past the retention.
GRANT SELECT, INSERT, UPDATE, DELETE ON wallet.webhook_endpoints TO 'wallet_app'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON wallet.webhook_deliveries TO 'wallet_app'@'%';
GRANT SELECT, INSERT, DELETE ON wallet.webhook_attempts TO 'wallet_app'@'%';
GRANT SELECT ON wallet.schema_migrations TO 'wallet_app'@'%';
