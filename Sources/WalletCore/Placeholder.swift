enum WalletCorePlaceholder {}
