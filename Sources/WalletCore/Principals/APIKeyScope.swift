/// What an API key may do. A route needs one scope; a key without it gets `403 insufficient_scope`. User sessions
/// have every scope over their own wallets.
public struct APIKeyScope: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Read wallets, their history and transactions.
    public static let walletsRead = APIKeyScope(unchecked: "wallets:read")
    /// Open wallets.
    public static let walletsWrite = APIKeyScope(unchecked: "wallets:write")
    /// Deposits, withdrawals and transfers out of the application's wallets.
    public static let movementsWrite = APIKeyScope(unchecked: "movements:write")
    /// Place, capture and void holds on the application's wallets.
    public static let holdsWrite = APIKeyScope(unchecked: "holds:write")
    /// Read the event feed (for the events API).
    public static let eventsRead = APIKeyScope(unchecked: "events:read")
    /// Register, list, rotate and delete webhook endpoints, read their deliveries, redeliver events.
    public static let webhooksWrite = APIKeyScope(unchecked: "webhooks:write")
    /// Create, list and revoke the application's own API keys.
    public static let keysWrite = APIKeyScope(unchecked: "keys:write")

    /// Every scope, in the order documented.
    public static let all: [APIKeyScope] = [walletsRead, walletsWrite, movementsWrite, holdsWrite, eventsRead, webhooksWrite, keysWrite]

    /// The scope's name, such as `wallets:read`.
    public let name: String

    /// The scope named `name`, or nil when there is no such scope.
    public init?(_ name: String) {
        guard let scope = Self.all.first(where: { $0.name == name }) else { return nil }
        self = scope
    }

    private init(unchecked name: String) {
        self.name = name
    }

    public var description: String { name }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        all.firstIndex(of: lhs)! < all.firstIndex(of: rhs)!
    }
}

extension Set<APIKeyScope> {
    /// The scopes as stored and shown: names in documented order, separated by single spaces.
    public var spaceSeparated: String { sorted().map(\.name).joined(separator: " ") }

    /// The scopes named in `text` (separated by spaces or commas), or nil when one is not a scope.
    public init?(parsing text: String) {
        var scopes = Set<APIKeyScope>()
        for name in text.split(whereSeparator: { $0 == " " || $0 == "," }) {
            guard let scope = APIKeyScope(String(name)) else { return nil }
            scopes.insert(scope)
        }
        self = scopes
    }
}
