import MariaDB

extension MariaDBRow {
    /// Decodes the named column as an id of kind `Kind`.
    func identifier<Kind>(_ type: Identifier<Kind>.Type, _ column: String) throws(MariaDBError) -> Identifier<Kind> {
        try decode(column, as: "a \(Kind.identifierPrefix) id") { (text: String) in Identifier<Kind>(text) }
    }

    /// Decodes the named column as a principal's id (a user's or an application's).
    func principal(_ column: String) throws(MariaDBError) -> PrincipalID {
        try decode(column, as: "a principal id") { (text: String) in PrincipalID(text) }
    }

    /// Decodes the named column as a currency.
    func currency(_ column: String) throws(MariaDBError) -> Currency {
        try decode(column, as: "an ISO 4217 code") { (code: String) in Currency(code: code) }
    }

    /// Decodes the named column as a positive amount.
    func amount(_ column: String) throws(MariaDBError) -> Amount {
        try decode(column, as: "a valid amount") { (minorUnits: Int64) in Amount(minorUnits: minorUnits) }
    }

    /// Decodes the named column as a transaction type.
    func transactionType(_ column: String) throws(MariaDBError) -> TransactionType {
        try decode(column, as: "a transaction type") { (name: String) in TransactionType(rawValue: name) }
    }

    /// Decodes the named column as a big integer (a `SUM` comes back as a `DECIMAL`).
    func wideInteger(_ column: String) throws(MariaDBError) -> Int128 {
        try decode(column, as: "an integer") { (text: String) in Int128(text) }
    }

    /// Decodes the named column as `Raw` and converts it; a value that does not convert is a decoding error that
    /// says it is not `what`.
    func decode<Raw: MariaDBDecodable, Value>(
        _ column: String,
        as what: String,
        _ convert: (Raw) -> Value?
    ) throws(MariaDBError) -> Value {
        let raw = try decode(Raw.self, column)
        guard let value = convert(raw) else {
            throw MariaDBError(kind: .decoding, message: "column \(column) holds \(raw), not \(what)")
        }
        return value
    }
}
