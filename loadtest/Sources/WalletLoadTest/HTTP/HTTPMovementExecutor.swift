import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Sends movements to the service: `POST /v1/wallets/{id}/deposits`, `…/withdrawals` and `/v1/transfers`, each with
/// its `Idempotency-Key`, authenticated as the owner of the wallet the money leaves (or enters, for a deposit).
struct HTTPMovementExecutor: MovementExecutor {
    let client: WalletHTTPClient
    let population: HTTPPopulation

    func attempt(_ movement: PlannedMovement) async -> MovementAnswer {
        let walletID = population.walletIDs[movement.wallet]
        let path: String
        let json: String
        switch movement.kind {
        case .deposit:
            path = "/v1/wallets/\(walletID)/deposits"
            json = "{\"amount\":\(movement.amount)}"
        case .withdrawal:
            path = "/v1/wallets/\(walletID)/withdrawals"
            json = "{\"amount\":\(movement.amount)}"
        case .transfer:
            path = "/v1/transfers"
            let destinationID = population.walletIDs[movement.destination!]
            json = "{\"from_wallet_id\":\"\(walletID)\",\"to_wallet_id\":\"\(destinationID)\",\"amount\":\(movement.amount)}"
        }
        do {
            let response = try await client.send(
                .POST, path, token: population.ownerTokens[movement.wallet], idempotencyKey: movement.key, json: json)
            return Self.answer(to: response)
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            return .uncertain(reason: "timeout", retryAfterSeconds: nil)
        } catch {
            return .uncertain(reason: "connection error", retryAfterSeconds: nil)
        }
    }

    /// What an answer of the service means for the movement.
    static func answer(to response: WalletHTTPClient.Response) -> MovementAnswer {
        let replayed = response.headers.first(name: "Idempotent-Replayed") == "true"
        switch response.status {
        case 201:
            guard let transaction = response.decode(ResponseBodies.Transaction.self) else {
                return .uncertain(reason: "201 unreadable body", retryAfterSeconds: nil)
            }
            return .acknowledged(transaction.acknowledgement, replayed: replayed)
        case 409, 429, 500...599:
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
