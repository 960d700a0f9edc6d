public import Foundation

/// The id of an event.
public typealias EventID = Identifier<Event>

/// One principal's view of one committed change: written in the change's own transaction (so it is never lost
/// and never invented), then given its place in the feed once it has committed.
public struct Event: Hashable, Sendable {
    public let id: EventID
    /// The principal whose view this is: the owner of a wallet the change touched.
    public let ownerID: PrincipalID
    public let type: EventType
    /// The changed object as the API returns it to ``ownerID``: compact JSON, written by the service itself.
    public let data: [UInt8]
    public let createdAt: Date
    /// Its place in the feed; nil until the sequencer has given it one (after its transaction committed).
    public let position: Int64?

    public init(id: EventID, ownerID: PrincipalID, type: EventType, data: [UInt8], createdAt: Date, position: Int64?) {
        self.id = id
        self.ownerID = ownerID
        self.type = type
        self.data = data
        self.createdAt = createdAt
        self.position = position
    }
}

extension Event: IdentifierKind {
    /// Event ids start with `evt_`.
    public static let identifierPrefix = "evt"
}
