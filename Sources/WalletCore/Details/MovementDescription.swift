/// The caller's note on a money movement ("order 4411, ride to the airport"), or a reversal's reason: 1 to 500
/// characters, none of them a control character, stored and shown as given.
public struct MovementDescription: Hashable, Sendable, CustomStringConvertible {
    /// The most Unicode scalars a description may have (the `description` and `reason` columns hold 500
    /// characters).
    public static let maximumLength = 500

    /// The text as given.
    public let rawValue: String

    /// `text` as a description, or nil when it is empty, longer than ``maximumLength`` or holds a control character.
    public init?(_ text: String) {
        let scalars = text.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= Self.maximumLength,
            !scalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        self.rawValue = text
    }

    public var description: String { rawValue }
}
