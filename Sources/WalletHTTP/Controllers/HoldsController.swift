import HTTPTypes
public import Hummingbird
public import WalletCore

/// Holds: `POST /v1/wallets/{id}/holds`, `POST /v1/holds/{id}/capture`, `POST /v1/holds/{id}/void` (money
/// movements: each needs an `Idempotency-Key` and replays its stored answer), `GET /v1/holds/{id}` and
/// `GET /v1/wallets/{id}/holds`.
public struct HoldsController: Sendable {
    let movements: MovementsController
    let holds: HoldStore

    public init(movements: MoneyMovements, holds: HoldStore) {
        self.movements = MovementsController(movements: movements)
        self.holds = holds
    }

    /// Adds the movements to `movementGroup` (where money-moving routes are rate limited) and the reads to `readGroup`.
    public func addRoutes(
        movementsTo movementGroup: RouterGroup<WalletRequestContext>,
        readsTo readGroup: RouterGroup<WalletRequestContext>,
        table: RouteTable
    ) {
        movementGroup.route(.post, "/v1/wallets/{id}/holds", access: .scope(.holdsWrite), table: table) { request, context in
            try await movements.move(request, context: context, allowed: ["amount", "expires_in_seconds"]) { fields, context in
                let wallet = fields.pathWalletID(context)
                let amount = fields.amount()
                let expiresIn = fields.holdExpiry()
                guard let wallet, let amount, let expiresIn else { return nil }
                return .placeHold(wallet: wallet, amount: amount, expiresIn: expiresIn)
            }
        }
        movementGroup.route(.post, "/v1/holds/{id}/capture", access: .scope(.holdsWrite), table: table) { request, context in
            try await movements.move(request, context: context, allowed: ["amount", "to_wallet_id"], optionalBody: true) { fields, context in
                let hold = fields.pathHoldID(context)
                let amount = fields.optionalAmount()
                let to = fields.optionalWalletID("to_wallet_id")
                guard let hold, let to else { return nil }
                return .captureHold(hold, amount: amount, to: to.value)
            }
        }
        movementGroup.route(.post, "/v1/holds/{id}/void", access: .scope(.holdsWrite), table: table) { request, context in
            try await movements.move(request, context: context, allowed: [], optionalBody: true, holdStatus: .ok) { fields, context in
                fields.pathHoldID(context).map { .voidHold($0) }
            }
        }
        readGroup.route(.get, "/v1/holds/{id}", access: .scope(.walletsRead), table: table) { _, context in
            guard let text = context.parameters.get("id"), let id = HoldID(text) else { throw WalletError.holdNotFound }
            let hold = try await holds.hold(id, visibleTo: try context.requirePrincipal())
            return JSONResponse.make(.ok) { $0.hold(hold) }
        }
        readGroup.route(.get, "/v1/wallets/{id}/holds", access: .scope(.walletsRead), table: table) { request, context in
            let owner = try context.requirePrincipal()
            let wallet = try context.walletID()
            let query = try PageQuery(request, defaultSize: .default, filters: ["status"]) { HoldID($0) }
            let status = try query.filters["status"].map { text throws(Problem) in
                guard let status = HoldStatus(rawValue: text) else {
                    let names = HoldStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Problem.invalidRequest([.init(name: "status", reason: "must be one of \(names)")])
                }
                return status
            }
            let page = try await holds.holds(of: wallet, ownedBy: owner, status: status, pageSize: query.pageSize, after: query.cursor)
            return JSONResponse.make(.ok) { json in
                json.page(page.holds, nextCursor: page.nextCursor?.rawValue) { $0.hold($1) }
            }
        }
    }
}

/// A field that may be absent: `value` is nil then. A reader answers nil for the whole when the field is invalid.
struct OptionalField<Value> {
    let value: Value?
}

extension FieldReader {
    /// Why an id that is not a hold id at all is refused: a malformed request, checked before the key is claimed.
    static let malformedHoldIDReason = "is not a hold id"

    /// The hold id of the path (`{id}`), recorded as the invalid parameter `id` when it is not written as one.
    mutating func pathHoldID(_ context: WalletRequestContext) -> HoldID? {
        guard let id = context.parameters.get("id").flatMap(HoldID.init) else {
            invalid("id", Self.malformedHoldIDReason)
            return nil
        }
        return id
    }

    /// The optional `expires_in_seconds` field, ``HoldExpiry/default`` when absent.
    mutating func holdExpiry() -> HoldExpiry? {
        guard let seconds = optionalInteger("expires_in_seconds", in: HoldExpiry.validSeconds) else {
            return invalidParameters.contains { $0.name == "expires_in_seconds" } ? nil : .default
        }
        return HoldExpiry(seconds: seconds)
    }

    /// An optional string field that must be written as a wallet id.
    mutating func optionalWalletID(_ name: String) -> OptionalField<WalletID>? {
        guard let text = optionalString(name) else {
            return invalidParameters.contains { $0.name == name } ? nil : OptionalField(value: nil)
        }
        guard let id = WalletID(text) else {
            invalid(name, Self.malformedWalletIDReason)
            return nil
        }
        return OptionalField(value: id)
    }
}
