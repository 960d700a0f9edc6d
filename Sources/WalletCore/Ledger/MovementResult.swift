/// The answer to a money movement request.
public struct MovementResult: Sendable {
    /// The response to send: freshly rendered, or the one stored under the idempotency key.
    public let response: StoredResponse
    /// True when ``response`` is the stored answer to an earlier request with the same key and the same fields.
    public let isReplay: Bool
    /// The outcome when this call ran the money logic; nil for a replay.
    public let outcome: MovementOutcome?
    /// The database transactions this call took (the last one committed).
    public internal(set) var attempts = 1
}
