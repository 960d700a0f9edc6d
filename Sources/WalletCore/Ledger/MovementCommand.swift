/// Everything one money movement needs inside its database transaction: the request, who asks, under which
/// idempotency key, and how to render the outcome.
///
/// A unit of work that a retry loop, a per-wallet queue or (later) a combiner can schedule without knowing what
/// it does.
struct MovementCommand: Sendable {
    let request: MovementRequest
    let actingUser: UserID
    let idempotencyKey: IdempotencyKey
    let fingerprint: RequestFingerprint
    /// Renders the outcome into the response to store; runs inside the transaction, on a database thread.
    let render: @Sendable (MovementOutcome) -> StoredResponse

    init(
        request: MovementRequest,
        actingUser: UserID,
        idempotencyKey: IdempotencyKey,
        render: @escaping @Sendable (MovementOutcome) -> StoredResponse
    ) {
        self.request = request
        self.actingUser = actingUser
        self.idempotencyKey = idempotencyKey
        self.fingerprint = RequestFingerprint(request)
        self.render = render
    }
}
