/// One page of a wallet's holds, newest first (ids follow creation time to the millisecond).
public struct HoldPage: Hashable, Sendable {
    /// The holds, as of the read, newest first.
    public let holds: [Hold]
    /// The id to pass as `cursor` for the next, older page (the last hold of this one), or nil on the last page.
    public let nextCursor: HoldID?
}
