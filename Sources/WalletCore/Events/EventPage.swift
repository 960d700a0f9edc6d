/// One page of a principal's event feed, oldest first.
public struct EventPage: Hashable, Sendable {
    public let events: [Event]
    /// Where the next page starts: after the last event this page examined (which, with a type filter, may be one
    /// it did not show). Nil only when the feed is empty so far and no cursor was given. A consumer keeps it and
    /// asks again later when the page was not full.
    public let nextCursor: EventCursor?
    /// Whether the feed had more events past this page when it was read.
    public let hasMore: Bool
}
