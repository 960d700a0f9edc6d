import WalletCore

/// Sends movements straight to WalletCore's `MoneyMovements.execute`, as the acting wallet's owner: no HTTP, no JSON.
/// Thrown errors become the answers the HTTP layer would give them.
struct DirectMovementExecutor: MovementExecutor {
    let service: WalletService
    let population: DirectPopulation

    func attempt(_ movement: PlannedMovement) async -> MovementAnswer {
        guard let amount = Amount(minorUnits: movement.amount), let key = IdempotencyKey(movement.key) else {
            return .rejected(status: 400, code: "invalid_request")
        }
        let wallet = population.walletIDs[movement.wallet]
        let request: MovementRequest =
            switch movement.kind {
            case .deposit: .deposit(wallet: wallet, amount: amount)
            case .withdrawal: .withdrawal(wallet: wallet, amount: amount)
            case .transfer: .transfer(from: wallet, to: population.walletIDs[movement.destination!], amount: amount)
            }
        do {
            let result = try await service.movements.execute(
                request, principal: population.owners[movement.wallet], idempotencyKey: key, render: DirectResponseCodec.render)
            return DirectResponseCodec.answer(to: result.response, isReplay: result.isReplay)
        } catch let error as WalletError {
            switch error {
            case .idempotencyKeyInUse: return .uncertain(reason: "409 idempotency_key_in_use", retryAfterSeconds: nil)
            case .contention: return .uncertain(reason: "503 contention", retryAfterSeconds: nil)
            case .unavailable: return .uncertain(reason: "503 unavailable", retryAfterSeconds: nil)
            case .databaseFailure: return .uncertain(reason: "500 internal_error", retryAfterSeconds: nil)
            case .idempotencyKeyReused: return .rejected(status: 422, code: "idempotency_key_reused")
            default:
                let (status, code) = DirectResponseCodec.problem(for: error)
                return .rejected(status: status, code: code)
            }
        } catch {
            return .uncertain(reason: "error \(type(of: error))", retryAfterSeconds: nil)
        }
    }
}
