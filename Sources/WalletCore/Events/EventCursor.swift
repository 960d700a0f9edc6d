/// Where a consumer of the event feed is: an opaque token that names the feed position of the last event it has
/// seen (a ``CursorToken`` of format version 2). The next page starts after it.
public struct EventCursor: Hashable, Sendable, CustomStringConvertible {
    /// The format version written into every event cursor.
    static let formatVersion: UInt8 = 2

    /// The feed position of the last event seen.
    public let lastPosition: Int64

    init(lastPosition: Int64) {
        precondition(lastPosition > 0, "feed positions start at 1")
        self.lastPosition = lastPosition
    }

    /// The cursor that `encoded` spells, or nil when it is not an event cursor (the client's mistake: a 400).
    public init?(encoded: String) {
        guard let lastPosition = CursorToken.decode(encoded, version: Self.formatVersion) else { return nil }
        self.lastPosition = lastPosition
    }

    /// The cursor as the client sees it.
    public var encoded: String { CursorToken.encode(lastPosition, version: Self.formatVersion) }

    public var description: String { encoded }
}
