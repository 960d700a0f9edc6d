enum _PlaceholderWalletCLI {}
