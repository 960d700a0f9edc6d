import AsyncHTTPClient
import NIOHTTP1

/// The users, sessions and wallets a phase creates over HTTP before the load.
struct HTTPPopulation: Sendable {
    /// The password of every load-test user (8 to 72 bytes, as the contract asks).
    static let password = "load-test-password"

    /// Wallet ids by workload index.
    let walletIDs: [String]
    /// The bearer token of each wallet's owner, by wallet index.
    let ownerTokens: [String]

    /// Registers `userCount` users with emails `<emailPrefix>-u<n>@example.com`, signs each in, and opens `walletCount`
    /// wallets in `currency`, wallet n owned by user n mod `userCount`; `parallelism` requests at a time.
    static func create(
        client: WalletHTTPClient, userCount: Int, walletCount: Int, currency: String, emailPrefix: String, parallelism: Int
    ) async throws -> HTTPPopulation {
        let tokens = try await mapIndices(userCount, parallelism: parallelism) { user in
            let credentials = "{\"email\":\"\(emailPrefix)-u\(user)@example.com\",\"password\":\"\(password)\"}"
            _ = try await client.expect(201, .POST, "/v1/users", json: credentials)
            let session = try await client.expect(201, .POST, "/v1/sessions", json: credentials)
            guard let token = session.decode(ResponseBodies.Session.self)?.token else { throw RunError("POST /v1/sessions: no token in the answer") }
            return token
        }
        let walletIDs = try await mapIndices(walletCount, parallelism: parallelism) { wallet in
            let response = try await client.expect(
                201, .POST, "/v1/wallets", token: tokens[wallet % userCount], json: "{\"currency\":\"\(currency)\"}")
            guard let id = response.decode(ResponseBodies.Created.self)?.id else { throw RunError("POST /v1/wallets: no id in the answer") }
            return id
        }
        return HTTPPopulation(walletIDs: walletIDs, ownerTokens: (0..<walletCount).map { tokens[$0 % userCount] })
    }
}
