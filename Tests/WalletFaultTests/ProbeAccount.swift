import Foundation
import TestSupport

/// A user of its own with one USD wallet, for probing the service by hand during a fault.
struct ProbeAccount: Sendable {
    /// One answer: the status, headers (lowercased names) and problem `code` when there is one.
    struct Answer: Sendable, CustomStringConvertible {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
        var problemCode: String? { json?["code"] as? String }
        var description: String { "\(status) \(String(decoding: body, as: UTF8.self))" }
    }

    let baseURL: String
    let token: String
    let walletID: String

    /// Registers a user, signs in and opens a wallet.
    static func open(on baseURL: String) async throws -> ProbeAccount {
        let credentials = Data("{\"email\":\"probe-\(UUID().uuidString.prefix(8))@example.com\",\"password\":\"probe-password\"}".utf8)
        let json = ["Content-Type": "application/json"]
        guard await HTTPProbe.send("POST", baseURL + "/v1/users", body: credentials, headers: json)?.status == 201,
            let session = await HTTPProbe.send("POST", baseURL + "/v1/sessions", body: credentials, headers: json),
            let token = (try? JSONSerialization.jsonObject(with: session.body) as? [String: Any])?["token"] as? String
        else { throw ProbeAccountError.setupFailed }
        let headers = json.merging(["Authorization": "Bearer " + token]) { $1 }
        guard let wallet = await HTTPProbe.send("POST", baseURL + "/v1/wallets", body: Data("{\"currency\":\"USD\"}".utf8), headers: headers),
            let id = (try? JSONSerialization.jsonObject(with: wallet.body) as? [String: Any])?["id"] as? String
        else { throw ProbeAccountError.setupFailed }
        return ProbeAccount(baseURL: baseURL, token: token, walletID: id)
    }

    /// `POST /v1/wallets/{id}/deposits` with `key`; nil when nothing answered.
    func deposit(amount: Int, key: String) async -> Answer? {
        let headers = ["Content-Type": "application/json", "Authorization": "Bearer " + token, "Idempotency-Key": key]
        let body = Data("{\"amount\":\(amount)}".utf8)
        return await HTTPProbe.send("POST", baseURL + "/v1/wallets/\(walletID)/deposits", body: body, headers: headers).map {
            Answer(status: $0.status, headers: $0.headers, body: $0.body)
        }
    }

    /// The wallet's balance, or nil when it could not be read.
    func balance() async -> Int? {
        guard let answer = await HTTPProbe.send("GET", baseURL + "/v1/wallets/\(walletID)", headers: ["Authorization": "Bearer " + token]),
            answer.status == 200
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any])?["balance"] as? Int
    }
}

enum ProbeAccountError: Error {
    case setupFailed
}
