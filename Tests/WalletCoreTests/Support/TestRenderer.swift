@testable import WalletCore

/// Stands in for the HTTP layer's renderer: a status and a body that names the outcome (and, for a completed
/// movement, the new transaction id, so that two executions never render the same bytes).
enum TestRenderer {
    static func render(_ outcome: MovementOutcome) -> StoredResponse {
        switch outcome {
        case .completed(let transaction):
            let entries = transaction.entries.map { "\($0.walletID?.rawValue ?? "external"):\($0.amount):\($0.balanceAfter.map(String.init) ?? "-")" }
                .joined(separator: ",")
            return StoredResponse(
                status: 201,
                body: Array(
                    "\(transaction.id) \(transaction.type.rawValue) \(transaction.amount.map { "\($0)" } ?? "-") \(transaction.currency?.code ?? "-") [\(entries)]".utf8)
            )
        case .held(let hold):
            return StoredResponse(status: 201, body: Array("\(hold.id) \(hold.status.rawValue) \(hold.amount) v\(hold.version)".utf8))
        case .refused(let refusal):
            return StoredResponse(status: status(of: refusal), body: Array("refused: \(refusal)".utf8))
        }
    }

    static func status(of refusal: WalletError) -> Int {
        switch refusal {
        case .walletNotFound, .holdNotFound, .transactionNotFound: 404
        default: 422
        }
    }
}
