import MariaDB

extension MariaDBRow {
    /// Decodes the named column as an id of kind `Kind`.
    func identifier<Kind>(_ type: Identifier<Kind>.Type, _ column: String) throws(MariaDBError) -> Identifier<Kind> {
        let text = try decode(String.self, column)
        guard let id = Identifier<Kind>(text) else {
            throw MariaDBError(kind: .decoding, message: "column \(column) holds \(text), not a \(Kind.identifierPrefix) id")
        }
        return id
    }

    /// Decodes the named column as a currency.
    func currency(_ column: String) throws(MariaDBError) -> Currency {
        let code = try decode(String.self, column)
        guard let currency = Currency(code: code) else {
            throw MariaDBError(kind: .decoding, message: "column \(column) holds \(code), not an ISO 4217 code")
        }
        return currency
    }

    /// Decodes the named column as a positive amount.
    func amount(_ column: String) throws(MariaDBError) -> Amount {
        let minorUnits = try decode(Int64.self, column)
        guard let amount = Amount(minorUnits: minorUnits) else {
            throw MariaDBError(kind: .decoding, message: "column \(column) holds \(minorUnits), not a valid amount")
        }
        return amount
    }

    /// Decodes the named column as a transaction type.
    func transactionType(_ column: String) throws(MariaDBError) -> TransactionType {
        let name = try decode(String.self, column)
        guard let type = TransactionType(rawValue: name) else {
            throw MariaDBError(kind: .decoding, message: "column \(column) holds \(name), not a transaction type")
        }
        return type
    }

    /// Decodes the named column as a big integer (a `SUM` comes back as a `DECIMAL`).
    func wideInteger(_ column: String) throws(MariaDBError) -> Int128 {
        let text = try decode(String.self, column)
        guard let value = Int128(text) else {
            throw MariaDBError(kind: .decoding, message: "column \(column) holds \(text), not an integer")
        }
        return value
    }
}
