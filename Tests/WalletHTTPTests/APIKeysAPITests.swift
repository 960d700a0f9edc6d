import Crypto
import Foundation
import HTTPTypes
import MariaDB
import TestSupport
import Testing
import WalletCore
import WalletHTTP

/// Applications with API keys, over HTTP: authentication, scopes, rotation without a refused request, revocation,
/// owner references, per-principal idempotency keys and per-key rate limits.
@Suite("API keys")
struct APIKeysAPITests {
    @Test func aKeyIsARecognisableSecretStoredOnlyAsItsHash() async throws {
        try await APIHarness.run { api in
            let app = try await api.application()
            let secret = try await api.apiKey(for: app)
            #expect(secret.hasPrefix("wk_"))
            let random = secret.dropFirst(3)
            #expect(random.count >= 43, "at least 32 random bytes in base64url")
            #expect(random.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            let rows = try await api.pool.withConnection { connection in
                try connection.query("SELECT secret_hash, prefix, scopes FROM api_keys").rows
            }
            let row = try #require(rows.first)
            #expect(try row.decode(String.self, "secret_hash") == Hex.lowercase(SHA256.hash(data: Array(secret.utf8))))
            #expect(try row.decode(String.self, "prefix") == String(secret.prefix(APIKey.displayPrefixLength)))
            #expect(try !rows.contains { try $0.decode(String.self, "secret_hash").contains(random) }, "the secret itself is not stored")
            // It authenticates the application, and its use is recorded.
            #expect(try await api.send(.get, "/v1/wallets", token: secret).status == .ok)
            let listed = try await api.send(.get, "/v1/api-keys", token: secret)
            let key = try #require((listed.json["data"] as? [[String: Any]])?.first)
            #expect(key["last_used_at"] is String, "\(key)")
            #expect(key["secret"] == nil, "a list never shows a secret")
            #expect(key["prefix"] as? String == String(secret.prefix(APIKey.displayPrefixLength)))
            // A key that differs in one character does not.
            let forged = String(secret.dropLast()) + (secret.last == "A" ? "B" : "A")
            #expect(try await api.send(.get, "/v1/wallets", token: forged).status == .unauthorized)
        }
    }

    @Test func anApplicationRotatesItsKeyWithoutARefusedRequest() async throws {
        try await APIHarness.run { api in
            let app = try await api.application()
            let first = try await api.apiKey(for: app, scopes: [.keysWrite, .walletsRead, .walletsWrite])
            let wallet = try await api.wallet(first)
            let current = Locked(first)
            // A client that keeps reading with whatever key is current while the keys change under it.
            let client = Task {
                var statuses: [HTTPResponse.Status] = []
                for _ in 0..<60 {
                    statuses.append(try await api.send(.get, "/v1/wallets/\(wallet)", token: current.value).status)
                }
                return statuses
            }
            let created = try await api.send(.post, "/v1/api-keys", token: first, json: #"{"scopes":["wallets:read","keys:write"],"expires_in_seconds":7776000}"#)
            #expect(created.status == .created, "\(created.json)")
            let second = try #require(created.string("secret"))
            #expect(created.json["scopes"] as? [String] == ["wallets:read", "keys:write"])
            #expect(created.string("expires_at") != nil)
            current.withLock { $0 = second }
            let firstID = try #require((try await api.send(.get, "/v1/api-keys", token: second).json["data"] as? [[String: Any]])?.first?["id"] as? String)
            let revoked = try await api.send(.delete, "/v1/api-keys/\(firstID)", token: second)
            #expect(revoked.status == .ok && revoked.string("revoked_at") != nil, "\(revoked.json)")
            let statuses = try await client.value
            #expect(statuses.allSatisfy { $0 == .ok }, "no request refused during the rotation: \(statuses)")
            #expect(try await api.send(.get, "/v1/wallets/\(wallet)", token: first).status == .unauthorized, "the old key stops at once")
            #expect(try await api.send(.get, "/v1/wallets/\(wallet)", token: second).status == .ok)
            // Revoking twice changes nothing; revoking an unknown key or another application's is a 404.
            #expect(try await api.send(.delete, "/v1/api-keys/\(firstID)", token: second).status == .ok)
            let other = try await api.apiKey(for: try await api.application())
            let foreign = try await api.send(.delete, "/v1/api-keys/\(firstID)", token: other)
            #expect(foreign.status == .notFound && foreign.code == "api_key_not_found")
            #expect(try await api.send(.delete, "/v1/api-keys/nonsense", token: other).code == "api_key_not_found")
        }
    }

    @Test func aKeyCannotGrantMoreThanItHasAndRequestsAreValidated() async throws {
        try await APIHarness.run { api in
            let app = try await api.application()
            let keysOnly = try await api.apiKey(for: app, scopes: [.keysWrite])
            let escalated = try await api.send(.post, "/v1/api-keys", token: keysOnly, json: #"{"scopes":["keys:write","movements:write"]}"#)
            #expect(escalated.status == .forbidden && escalated.code == "insufficient_scope", "\(escalated.json)")
            #expect("\(escalated.json)".contains("movements:write"))
            for (body, field) in [
                (#"{"scopes":[]}"#, "scopes"), (#"{"scopes":["wallets:admin"]}"#, "scopes"), (#"{"scopes":"keys:write"}"#, "scopes"),
                (#"{"scopes":["keys:write"],"expires_in_seconds":0}"#, "expires_in_seconds"),
                (#"{"scopes":["keys:write"],"rate_limit":{"burst":0,"per_second":1}}"#, "rate_limit.burst"),
                (#"{"scopes":["keys:write"],"rate_limit":{"burst":5,"per_second":-1}}"#, "rate_limit.per_second"),
                (#"{"scopes":["keys:write"],"owner":"x"}"#, "owner"),
            ] {
                let answer = try await api.send(.post, "/v1/api-keys", token: keysOnly, json: body)
                #expect(answer.status == .badRequest && answer.code == "invalid_request", "\(body): \(answer.json)")
                let names = (answer.json["invalid_params"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
                #expect(names.contains(field), "\(body): \(names)")
            }
            // At most so many live keys per application.
            for _ in 1..<APIKeyStore.maximumLiveKeysPerApplication {
                #expect(try await api.send(.post, "/v1/api-keys", token: keysOnly, json: #"{"scopes":["keys:write"]}"#).status == .created)
            }
            let over = try await api.send(.post, "/v1/api-keys", token: keysOnly, json: #"{"scopes":["keys:write"]}"#)
            #expect(over.status == .unprocessableContent && over.code == "api_key_limit_reached", "\(over.json)")
        }
    }

    @Test func walletsCarryTheOwnersReferenceAndAreFoundByIt() async throws {
        try await APIHarness.run { api in
            let key = try await api.apiKey(for: try await api.application())
            var ids: [String: [String]] = [:]
            for (reference, currency) in [("cus_1", "USD"), ("cus_1", "EUR"), ("cus_2", "USD")] {
                let answer = try await api.send(.post, "/v1/wallets", token: key, json: #"{"currency":"\#(currency)","owner_ref":"\#(reference)"}"#)
                #expect(answer.status == .created && answer.string("owner_ref") == reference, "\(answer.json)")
                ids[reference, default: []].append(try #require(answer.string("id")))
            }
            let found = try await api.send(.get, "/v1/wallets?owner_ref=cus_1", token: key)
            #expect((found.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ids["cus_1"])
            let paged = try await api.send(.get, "/v1/wallets?owner_ref=cus_1&limit=1", token: key)
            #expect((paged.json["data"] as? [[String: Any]])?.count == 1 && paged.string("next_cursor") == ids["cus_1"]?.first)
            #expect((try await api.send(.get, "/v1/wallets?owner_ref=cus_9", token: key).json["data"] as? [Any])?.isEmpty == true)
            // Another principal's references find nothing of this one's.
            let other = try await api.apiKey(for: try await api.application())
            #expect((try await api.send(.get, "/v1/wallets?owner_ref=cus_1", token: other).json["data"] as? [Any])?.isEmpty == true)
            for bad in ["", "has space", String(repeating: "r", count: OwnerReference.maximumLength + 1), "é"] {
                let created = try await api.send(.post, "/v1/wallets", token: key, json: #"{"currency":"USD","owner_ref":"\#(bad)"}"#)
                #expect(created.status == .badRequest && "\(created.json)".contains("owner_ref"), "\(bad): \(created.json)")
                let query = bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                #expect(try await api.send(.get, "/v1/wallets?owner_ref=\(query)", token: key).status == .badRequest, "\(bad)")
            }
        }
    }

    @Test func idempotencyKeysAreScopedPerPrincipal() async throws {
        try await APIHarness.run { api in
            let user = try await api.signedInUser()
            let usersWallet = try await api.wallet(user)
            let app = try await api.application()
            let appKey = try await api.apiKey(for: app)
            let appsWallet = try await api.wallet(appKey)
            let byUser = try await api.deposit(user, usersWallet, 100, key: "order-1")
            let byApp = try await api.deposit(appKey, appsWallet, 100, key: "order-1")
            #expect(byUser.status == .created && byApp.status == .created)
            #expect(byApp.headers[MovementsController.replayedHeader] == nil, "the user's key does not answer the application")
            #expect(byUser.string("id") != byApp.string("id"))
            // Every key of one application shares its idempotency scope: a rotated key replays the old key's answer.
            let rotated = try await api.apiKey(for: app)
            let replay = try await api.deposit(rotated, appsWallet, 100, key: "order-1")
            #expect(replay.headers[MovementsController.replayedHeader] == "true" && replay.body == byApp.body)
            #expect(try await api.balance(appKey, appsWallet) == 100)
        }
    }

    @Test func rateLimitsApplyPerKeyWithTheKeysOwnLimit() async throws {
        try await APIHarness.run(rateLimits: .default) { api in
            let app = try await api.application()
            let tight = try await api.apiKey(for: app, rateLimit: MovementRateLimit(burst: 2, perSecond: 0.01))
            let roomy = try await api.apiKey(for: app)
            let wallet = try await api.wallet(roomy)
            #expect(try await api.deposit(tight, wallet, 1).status == .created)
            let second = try await api.deposit(tight, wallet, 1)
            #expect(second.status == .created)
            #expect(second.headers[HTTPField.Name("RateLimit-Policy")!]?.contains("q=2") == true, "\(second.headers)")
            let refused = try await api.deposit(tight, wallet, 1)
            #expect(refused.status == .tooManyRequests && refused.code == "rate_limited" && refused.headers[.retryAfter] != nil)
            #expect(try await api.deposit(roomy, wallet, 1).status == .created, "another key of the same application has its own bucket")
            #expect(try await api.balance(roomy, wallet) == 3)
        }
    }
}
