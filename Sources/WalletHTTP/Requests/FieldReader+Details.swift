import WalletCore

extension FieldReader {
    /// The body fields of a movement's details, accepted by every money-moving route.
    static let detailFields = ["reference", "description", "metadata"]

    /// The optional `reference`, `description` and `metadata` fields, each fault recorded under its name
    /// (`metadata.order_id` for one value).
    mutating func details() -> MovementDetails {
        var details = MovementDetails()
        if let text = optionalString("reference") {
            details.reference = MovementReference(text)
            if details.reference == nil {
                invalid("reference", "must be 1 to \(MovementReference.maximumLength) visible ASCII characters (no spaces)")
            }
        }
        details.description = optionalDescription("description")
        if let members = optionalObject("metadata") {
            details.metadata = metadata(members)
        }
        return details
    }

    /// An optional text field of 1 to ``MovementDescription/maximumLength`` characters without control characters.
    mutating func optionalDescription(_ name: String) -> MovementDescription? {
        guard let text = optionalString(name) else { return nil }
        guard let description = MovementDescription(text) else {
            invalid(name, "must be 1 to \(MovementDescription.maximumLength) characters, none of them a control character")
            return nil
        }
        return description
    }

    private mutating func metadata(_ members: [(key: String, value: JSONValue)]) -> Metadata {
        guard members.count <= Metadata.maximumKeys else {
            invalid("metadata", "must have at most \(Metadata.maximumKeys) keys, not \(members.count)")
            return .empty
        }
        var values: [String: String] = [:]
        for (key, value) in members {
            guard Metadata.isValidKey(key) else {
                invalid("metadata", "keys must be 1 to \(Metadata.maximumKeyLength) characters of A-Z, a-z, 0-9, '_', '.' and '-'")
                continue
            }
            guard case .string(let text) = value else {
                invalid("metadata.\(key)", "must be a string, not \(value.typeName)")
                continue
            }
            guard text.unicodeScalars.count <= Metadata.maximumValueLength else {
                invalid("metadata.\(key)", "must be at most \(Metadata.maximumValueLength) characters")
                continue
            }
            values[key] = text
        }
        // Every pair was checked above.
        return (try? Metadata.validated(values).get()) ?? .empty
    }

    /// The required `legs` field of a multi-leg transfer: 1 to ``TransferLeg/maximumCount`` objects of
    /// `from_wallet_id`, `to_wallet_id` and `amount`, faults named `legs[2].amount`; their amounts may total at
    /// most ``Amount/validMinorUnits``'s upper bound.
    mutating func legs() -> [TransferLeg]? {
        guard let elements = array("legs") else { return nil }
        guard (1...TransferLeg.maximumCount).contains(elements.count) else {
            invalid("legs", "must hold 1 to \(TransferLeg.maximumCount) legs, not \(elements.count)")
            return nil
        }
        var legs: [TransferLeg] = []
        for (index, element) in elements.enumerated() {
            var leg = FieldReader(element, allowed: ["from_wallet_id", "to_wallet_id", "amount"])
            let from = leg.walletID("from_wallet_id")
            let to = leg.walletID("to_wallet_id")
            let amount = leg.amount()
            for parameter in leg.invalidParameters {
                invalid(parameter.name == "body" ? "legs[\(index)]" : "legs[\(index)].\(parameter.name)", parameter.reason)
            }
            if let from, let to, let amount { legs.append(TransferLeg(from: from, to: to, amount: amount)) }
        }
        guard legs.count == elements.count else { return nil }
        let total = legs.reduce(Int128(0)) { $0 + Int128($1.amount.minorUnits) }
        guard total <= Int128(Amount.validMinorUnits.upperBound) else {
            invalid("legs", "amounts must total at most \(Amount.validMinorUnits.upperBound)")
            return nil
        }
        return legs
    }
}
