/// Where the next page of a wallet's history, or of a transaction search, starts: an opaque token that names the
/// last entry already seen (a ``CursorToken`` of format version 1 and the entry's sequence number).
public struct EntryCursor: Hashable, Sendable, CustomStringConvertible {
    /// The format version written into every entry cursor.
    static let formatVersion: UInt8 = 1

    /// The sequence number of the last entry seen; the next page holds older entries.
    let lastSequence: Int64

    init(lastSequence: Int64) {
        precondition(lastSequence > 0, "entry sequence numbers start at 1")
        self.lastSequence = lastSequence
    }

    /// The cursor that `encoded` spells, or nil when it is not a cursor (the client's mistake: a 400).
    public init?(encoded: String) {
        guard let lastSequence = CursorToken.decode(encoded, version: Self.formatVersion) else { return nil }
        self.lastSequence = lastSequence
    }

    /// The cursor as the client sees it.
    public var encoded: String { CursorToken.encode(lastSequence, version: Self.formatVersion) }

    public var description: String { encoded }
}
