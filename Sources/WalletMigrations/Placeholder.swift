enum _PlaceholderWalletMigrations {}
