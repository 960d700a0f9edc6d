import MariaDB

extension MariaDBRow {
    /// Decodes the `reference`, `description` and `metadata` columns as a movement's details.
    func details() throws(MariaDBError) -> MovementDetails {
        MovementDetails(
            reference: try decode("reference", as: "a reference") { (text: String?) -> MovementReference?? in
                guard let text else { return .some(nil) }
                return MovementReference(text).map { .some($0) }
            },
            description: try optionalDescription("description"),
            metadata: try decode("metadata", as: "a metadata object") { (text: String?) in Metadata(storedText: text) }
        )
    }

    /// Decodes the named column as an optional description (or reason).
    func optionalDescription(_ column: String) throws(MariaDBError) -> MovementDescription? {
        try decode(column, as: "a description") { (text: String?) -> MovementDescription?? in
            guard let text else { return .some(nil) }
            return MovementDescription(text).map { .some($0) }
        }
    }

    /// Decodes the named column as an optional id of kind `Kind`.
    func optionalIdentifier<Kind>(_ type: Identifier<Kind>.Type, _ column: String) throws(MariaDBError) -> Identifier<Kind>? {
        try decode(String?.self, column) == nil ? nil : try identifier(type, column)
    }
}
