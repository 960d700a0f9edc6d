import HTTPTypes
public import Hummingbird
public import WalletCore

/// The money-moving routes: `POST /v1/wallets/{id}/deposits`, `POST /v1/wallets/{id}/withdrawals`,
/// `POST /v1/transfers`, `POST /v1/transactions` (multi-leg) and `POST /v1/transactions/{id}/reversals`. Each needs an `Idempotency-Key`; a retried request replays the stored answer with
/// `Idempotent-Replayed: true` and never moves money twice.
public struct MovementsController: Sendable {
    /// The header that marks a replayed answer.
    public static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    let movements: MoneyMovements

    public init(movements: MoneyMovements) {
        self.movements = movements
    }

    public func addRoutes(to group: RouterGroup<WalletRequestContext>, table: RouteTable) {
        group.route(.post, "/v1/wallets/{id}/deposits", access: .scope(.movementsWrite), table: table) { request, context in
            try await move(request, context: context) { fields, context in
                let wallet = fields.pathWalletID(context)
                let amount = fields.amount()
                guard let wallet, let amount else { return nil }
                return .deposit(wallet: wallet, amount: amount)
            }
        }
        group.route(.post, "/v1/wallets/{id}/withdrawals", access: .scope(.movementsWrite), table: table) { request, context in
            try await move(request, context: context) { fields, context in
                let wallet = fields.pathWalletID(context)
                let amount = fields.amount()
                guard let wallet, let amount else { return nil }
                return .withdrawal(wallet: wallet, amount: amount)
            }
        }
        group.route(.post, "/v1/transfers", access: .scope(.movementsWrite), table: table) { request, context in
            try await move(request, context: context, allowed: ["from_wallet_id", "to_wallet_id", "amount"]) { fields, _ in
                let from = fields.walletID("from_wallet_id")
                let to = fields.walletID("to_wallet_id")
                let amount = fields.amount()
                guard let from, let to, let amount else { return nil }
                return .transfer(from: from, to: to, amount: amount)
            }
        }
        group.route(.post, "/v1/transactions", access: .scope(.movementsWrite), table: table) { request, context in
            try await move(request, context: context, allowed: ["legs"]) { fields, _ in
                fields.legs().map { .multiLeg($0) }
            }
        }
        group.route(.post, "/v1/transactions/{id}/reversals", access: .scope(.movementsWrite), table: table) { request, context in
            try await move(request, context: context, allowed: ["amount", "reason"], optionalBody: true) { fields, context in
                let original = fields.pathTransactionID(context)
                let amount = fields.optionalAmount()
                let reason = fields.optionalDescription("reason")
                guard let original else { return nil }
                return .reversal(of: original, amount: amount, reason: reason)
            }
        }
    }

    /// Validates the request (its `allowed` fields and the details every movement accepts), then runs the movement
    /// once per key and answers with the (stored) response: a transaction 201, a hold `holdStatus`, or the
    /// refusal. `optionalBody` lets a request send no body at all.
    func move(
        _ request: Request,
        context: WalletRequestContext,
        allowed: [String] = ["amount"],
        optionalBody: Bool = false,
        holdStatus: HTTPResponse.Status = .created,
        build: (inout FieldReader, WalletRequestContext) -> MovementRequest?
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        let rawKey = try IdempotencyKeyHeader.key(of: request)
        let body = optionalBody ? try await JSONBody.readOptional(request, context: context) : try await JSONBody.read(request, context: context)
        var fields = FieldReader(body, allowed: allowed + FieldReader.detailFields)
        let movement = build(&fields, context)
        let details = fields.details()
        try fields.finish()
        guard let movement, let key = IdempotencyKey(rawKey) else { throw Problem.invalidRequest(fields.invalidParameters) }

        let result = try await movements.execute(movement, details: details, principal: principal, idempotencyKey: key) { outcome in
            Self.render(outcome, viewer: principal, holdStatus: holdStatus)
        }
        let status = HTTPResponse.Status(code: result.response.status)
        context.logRecord.movement(
            attempts: result.isReplay ? nil : result.attempts,
            outcome: result.isReplay ? "replayed" : status.code < 400 ? "committed" : "refused"
        )
        var headers = HTTPFields()
        if result.isReplay { headers[Self.replayedHeader] = "true" }
        headers[.contentType] = status.code >= 400 ? Problem.mediaType : JSONResponse.contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: result.response.body)))
    }

    /// The response pinned under the key: the transaction (201) as `viewer` may see it, the hold (`holdStatus`), or
    /// the refusal as a problem.
    static func render(_ outcome: MovementOutcome, viewer: PrincipalID, holdStatus: HTTPResponse.Status) -> StoredResponse {
        switch outcome {
        case .completed(let transaction):
            var writer = JSONWriter()
            writer.transaction(transaction, viewer: viewer)
            return StoredResponse(status: 201, body: writer.bytes)
        case .held(let hold):
            var writer = JSONWriter()
            writer.hold(hold)
            return StoredResponse(status: Int(holdStatus.code), body: writer.bytes)
        case .refused(let refusal):
            guard let problem = refusal.problem else {
                preconditionFailure("the business refusal \(refusal) has no problem answer")
            }
            return StoredResponse(status: Int(problem.status.code), body: problem.body)
        }
    }
}

extension FieldReader {
    /// Why an id that is not a wallet id at all is refused: it is a malformed request, checked before the key is
    /// claimed and not stored; a well-formed id of no visible wallet reaches the money logic and is a pinned 404.
    static let malformedWalletIDReason = "is not a wallet id"

    /// The required `amount` field: an integer from 1 to 2^53−1.
    mutating func amount() -> Amount? {
        integer("amount", in: Amount.validMinorUnits).flatMap { Amount(minorUnits: $0) }
    }

    /// The optional `amount` field: nil when absent or `null`.
    mutating func optionalAmount() -> Amount? {
        optionalInteger("amount", in: Amount.validMinorUnits).flatMap { Amount(minorUnits: $0) }
    }

    /// A required string field that must be written as a wallet id.
    mutating func walletID(_ name: String) -> WalletID? {
        guard let text = string(name) else { return nil }
        guard let id = WalletID(text) else {
            invalid(name, Self.malformedWalletIDReason)
            return nil
        }
        return id
    }

    /// The transaction id of the path (`{id}`), recorded as the invalid parameter `id` when it is not written as one.
    mutating func pathTransactionID(_ context: WalletRequestContext) -> TransactionID? {
        guard let id = context.parameters.get("id").flatMap(TransactionID.init) else {
            invalid("id", "is not a transaction id")
            return nil
        }
        return id
    }

    /// The wallet id of the path (`{id}`), recorded as the invalid parameter `id` when it is not written as one.
    mutating func pathWalletID(_ context: WalletRequestContext) -> WalletID? {
        guard let id = context.parameters.get("id").flatMap(WalletID.init) else {
            invalid("id", Self.malformedWalletIDReason)
            return nil
        }
        return id
    }
}
