public import WalletCore

extension JSONWriter {
    /// The members `"reference"`, `"description"` (each a string or null) and `"metadata"` (an object, `{}` when
    /// there is none) of a movement's details.
    public mutating func details(_ details: MovementDetails) {
        field("reference", details.reference?.rawValue)
        field("description", details.description?.rawValue)
        key("metadata")
        metadata(details.metadata)
    }

    /// Metadata as a JSON object, keys sorted (`{}` when there is none).
    public mutating func metadata(_ metadata: Metadata) {
        object { json in
            for (key, value) in metadata.sorted { json.field(key, value) }
        }
    }
}
