enum _PlaceholderWalletHTTP {}
