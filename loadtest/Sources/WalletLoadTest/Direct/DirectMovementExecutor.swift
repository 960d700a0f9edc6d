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
        guard let request = request(for: movement, amount: amount), let details = details(of: movement) else {
            return .rejected(status: 400, code: "invalid_request")
        }
        do {
            let result = try await service.movements.execute(
                request, details: details, principal: population.owners[movement.wallet], idempotencyKey: key, render: DirectResponseCodec.render)
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

    /// The WalletCore request of `movement`; nil when a hold id, expiry, transaction id, leg amount or reason is not
    /// one WalletCore accepts.
    private func request(for movement: PlannedMovement, amount: Amount) -> MovementRequest? {
        let wallet = population.walletIDs[movement.wallet]
        switch movement.kind {
        case .deposit: return .deposit(wallet: wallet, amount: amount)
        case .withdrawal: return .withdrawal(wallet: wallet, amount: amount)
        case .transfer: return .transfer(from: wallet, to: population.walletIDs[movement.destination!], amount: amount)
        case .hold:
            guard let expiry = movement.expiresInSeconds.map({ HoldExpiry(seconds: Int64($0)) }) ?? HoldExpiry.default else { return nil }
            return .placeHold(wallet: wallet, amount: amount, expiresIn: expiry)
        case .capture:
            guard let hold = HoldID(movement.hold!.holdID) else { return nil }
            return .captureHold(hold, amount: movement.capturesWholeHold ? nil : amount, to: movement.destination.map { population.walletIDs[$0] })
        case .void:
            guard let hold = HoldID(movement.hold!.holdID) else { return nil }
            return .voidHold(hold)
        case .multileg:
            var legs: [TransferLeg] = []
            for leg in movement.legs {
                guard let amount = Amount(minorUnits: leg.amount) else { return nil }
                legs.append(TransferLeg(from: population.walletIDs[leg.source], to: population.walletIDs[leg.destination], amount: amount))
            }
            return .multiLeg(legs)
        case .reversal:
            guard let original = TransactionID(movement.reversal!.transactionID) else { return nil }
            var reason: MovementDescription?
            if let text = movement.reason {
                guard let description = MovementDescription(text) else { return nil }
                reason = description
            }
            return .reversal(of: original, amount: movement.reversesWhole ? nil : amount, reason: reason)
        }
    }

    /// The WalletCore details of `movement`; nil when its reference or metadata is not one WalletCore accepts.
    private func details(of movement: PlannedMovement) -> MovementDetails? {
        guard !movement.details.isEmpty else { return MovementDetails.none }
        var reference: MovementReference?
        if let text = movement.details.reference {
            guard let valid = MovementReference(text) else { return nil }
            reference = valid
        }
        guard case .success(let metadata) = Metadata.validated(movement.details.metadata) else { return nil }
        return MovementDetails(reference: reference, metadata: metadata)
    }
}
