/// What the caller says about a money movement, beside the money: its own `reference`, a `description` and
/// `metadata`. Stored with the transaction (or the hold), part of the idempotency fingerprint, never changed.
public struct MovementDetails: Hashable, Sendable {
    /// Nothing said.
    public static let none = MovementDetails()

    /// The caller's id for the movement.
    public var reference: MovementReference?
    /// The caller's note.
    public var description: MovementDescription?
    /// The caller's key-value pairs.
    public var metadata: Metadata

    public init(reference: MovementReference? = nil, description: MovementDescription? = nil, metadata: Metadata = .empty) {
        self.reference = reference
        self.description = description
        self.metadata = metadata
    }

    /// These details, each one absent here taken from `other` (a capture's details over its hold's).
    func filled(from other: MovementDetails) -> MovementDetails {
        MovementDetails(
            reference: reference ?? other.reference,
            description: description ?? other.description,
            metadata: metadata.values.isEmpty ? other.metadata : metadata
        )
    }
}
