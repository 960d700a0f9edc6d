import WalletCore

/// The users and wallets the direct phase creates through WalletCore before the load.
struct DirectPopulation: Sendable {
    /// The password hash stored for every direct-mode user: a fixed dummy, since nobody signs in (no bcrypt cost).
    static let dummyPasswordHash = "$2b$10$loadtestloadtestloadtestloadtestloadtestloadtestloadt"

    /// Wallets by workload index.
    let walletIDs: [WalletID]
    /// Each wallet's owner, by wallet index.
    let owners: [PrincipalID]

    /// Creates `userCount` users with emails `<emailPrefix>-u<n>@example.com` and `walletCount` wallets in `currency`,
    /// wallet n owned by user n mod `userCount`; `parallelism` at a time.
    static func create(
        service: WalletService, userCount: Int, walletCount: Int, currency: Currency, emailPrefix: String, parallelism: Int
    ) async throws -> DirectPopulation {
        let users = try await mapIndices(userCount, parallelism: parallelism) { user in
            guard let email = EmailAddress("\(emailPrefix)-u\(user)@example.com") else { throw RunError("invalid email prefix \(emailPrefix)") }
            return PrincipalID.user(try await service.users.create(email: email, passwordHash: dummyPasswordHash).id)
        }
        let wallets = try await mapIndices(walletCount, parallelism: parallelism) { wallet in
            try await service.wallets.create(owner: users[wallet % userCount], currency: currency).id
        }
        return DirectPopulation(walletIDs: wallets, owners: (0..<walletCount).map { users[$0 % userCount] })
    }
}
