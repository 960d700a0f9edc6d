import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Sends movements to the service, each with its `Idempotency-Key`, authenticated as the owner of the wallet the money
/// leaves, enters or is held on (for a reversal, the wallet it comes back out of): `POST /v1/wallets/{id}/deposits`,
/// `…/withdrawals`, `/v1/transfers`, `/v1/wallets/{id}/holds`, `/v1/holds/{id}/capture`, `/v1/holds/{id}/void`,
/// `/v1/transactions` (multi-leg) and `/v1/transactions/{id}/reversals`.
struct HTTPMovementExecutor: MovementExecutor {
    let client: WalletHTTPClient
    let population: HTTPPopulation

    func attempt(_ movement: PlannedMovement) async -> MovementAnswer {
        let (path, json) = Self.request(for: movement, walletIDs: population.walletIDs)
        do {
            let response = try await client.send(
                .POST, path, token: population.ownerTokens[movement.wallet], idempotencyKey: movement.key, json: json)
            return Self.answer(to: response, kind: movement.kind)
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            return .uncertain(reason: "timeout", retryAfterSeconds: nil)
        } catch {
            return .uncertain(reason: "connection error", retryAfterSeconds: nil)
        }
    }

    /// The path and JSON body of `movement`, wallets named by `walletIDs`.
    static func request(for movement: PlannedMovement, walletIDs: [String]) -> (path: String, json: String) {
        let walletID = walletIDs[movement.wallet]
        switch movement.kind {
        case .deposit:
            return ("/v1/wallets/\(walletID)/deposits", "{\"amount\":\(movement.amount)}")
        case .withdrawal:
            return ("/v1/wallets/\(walletID)/withdrawals", "{\"amount\":\(movement.amount)}")
        case .transfer:
            let destinationID = walletIDs[movement.destination!]
            return ("/v1/transfers", "{\"from_wallet_id\":\"\(walletID)\",\"to_wallet_id\":\"\(destinationID)\",\"amount\":\(movement.amount)}")
        case .hold:
            let expiry = movement.expiresInSeconds.map { ",\"expires_in_seconds\":\($0)" } ?? ""
            return ("/v1/wallets/\(walletID)/holds", "{\"amount\":\(movement.amount)\(expiry)}")
        case .capture:
            var fields: [String] = []
            if !movement.capturesWholeHold { fields.append("\"amount\":\(movement.amount)") }
            if let destination = movement.destination { fields.append("\"to_wallet_id\":\"\(walletIDs[destination])\"") }
            return ("/v1/holds/\(movement.hold!.holdID)/capture", "{" + fields.joined(separator: ",") + "}")
        case .void:
            return ("/v1/holds/\(movement.hold!.holdID)/void", "{}")
        case .multileg:
            let legs = movement.legs.map { leg in
                "{\"from_wallet_id\":\"\(walletIDs[leg.source])\",\"to_wallet_id\":\"\(walletIDs[leg.destination])\",\"amount\":\(leg.amount)}"
            }
            var fields = ["\"legs\":[" + legs.joined(separator: ",") + "]"]
            if let reference = movement.details.reference { fields.append("\"reference\":\"\(reference)\"") }
            if !movement.details.metadata.isEmpty {
                let pairs = movement.details.metadata.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }
                fields.append("\"metadata\":{" + pairs.joined(separator: ",") + "}")
            }
            return ("/v1/transactions", "{" + fields.joined(separator: ",") + "}")
        case .reversal:
            var fields: [String] = []
            if !movement.reversesWhole { fields.append("\"amount\":\(movement.amount)") }
            if let reason = movement.reason { fields.append("\"reason\":\"\(reason)\"") }
            return ("/v1/transactions/\(movement.reversal!.transactionID)/reversals", "{" + fields.joined(separator: ",") + "}")
        }
    }

    /// What an answer of the service means for a movement of `kind`: `201` with a transaction (a hold, for placing
    /// one), `200` with the hold for a void, a stored refusal, another definite error, or nothing definite.
    static func answer(to response: WalletHTTPClient.Response, kind: MovementKind) -> MovementAnswer {
        let replayed = response.headers.first(name: "Idempotent-Replayed") == "true"
        switch (response.status, kind) {
        case (201, .hold), (200, .void):
            guard let hold = response.decode(ResponseBodies.Hold.self) else {
                return .uncertain(reason: "\(response.status) unreadable body", retryAfterSeconds: nil)
            }
            return .holdAcknowledged(hold.state, replayed: replayed)
        case (201, .deposit), (201, .withdrawal), (201, .transfer), (201, .capture), (201, .multileg), (201, .reversal):
            guard let acknowledgement = response.decode(ResponseBodies.Transaction.self)?.acknowledgement else {
                return .uncertain(reason: "201 unreadable body", retryAfterSeconds: nil)
            }
            return .acknowledged(acknowledgement, replayed: replayed)
        case (409, _), (429, _), (500...599, _):
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
            return .uncertain(reason: "\(response.status) \(response.problemCode)", retryAfterSeconds: retryAfter)
        default:
            let code = response.problemCode
            if response.status == 422, MovementAnswer.businessRefusalCodes.contains(code) {
                return .refused(code: code, replayed: replayed)
            }
            return .rejected(status: response.status, code: code)
        }
    }
}
