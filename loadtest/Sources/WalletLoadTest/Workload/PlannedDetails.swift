/// What a planned movement says beside the money: a `reference` and `metadata` (sent on a share of multi-leg
/// transfers, so that those paths are loaded too). The values are plain ASCII without quotes or backslashes, so
/// they go into JSON as they are.
public struct PlannedDetails: Hashable, Sendable {
    /// Nothing said.
    public static let none = PlannedDetails()

    /// The `reference`; nil for none.
    public let reference: String?
    /// The `metadata` pairs; empty for none.
    public let metadata: [String: String]

    public init(reference: String? = nil, metadata: [String: String] = [:]) {
        self.reference = reference
        self.metadata = metadata
    }

    /// Whether there is anything to send.
    public var isEmpty: Bool { reference == nil && metadata.isEmpty }
}
