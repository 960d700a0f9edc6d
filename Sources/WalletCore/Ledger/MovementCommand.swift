/// Everything one money movement needs inside its database transaction: the request, who asks, under which
/// idempotency key, how to render the outcome, and until when it may try.
///
/// A unit of work that the retry loop and the ``WalletBatchScheduler`` schedule without knowing what it does.
struct MovementCommand: Sendable {
    let request: MovementRequest
    let principal: PrincipalID
    let idempotencyKey: IdempotencyKey
    let fingerprint: RequestFingerprint
    /// Renders the outcome into the response to store; runs inside the transaction, on a database thread.
    let render: @Sendable (MovementOutcome) -> StoredResponse
    /// When the movement gives up: no attempt starts, no backoff sleeps and no statement runs past it, and a
    /// movement still waiting then is answered ``WalletError/contention`` with nothing committed.
    let deadline: ContinuousClock.Instant

    init(
        request: MovementRequest,
        principal: PrincipalID,
        idempotencyKey: IdempotencyKey,
        deadline: ContinuousClock.Instant,
        render: @escaping @Sendable (MovementOutcome) -> StoredResponse
    ) {
        self.request = request
        self.principal = principal
        self.idempotencyKey = idempotencyKey
        self.fingerprint = RequestFingerprint(request)
        self.render = render
        self.deadline = deadline
    }
}

extension MovementCommand: WalletScopedJob {
    var walletIDs: [WalletID] { request.walletIDs }
    /// Idempotency keys are scoped per principal; two commands under one key never share a transaction.
    var batchExclusionKey: String { "\(principal.rawValue) \(idempotencyKey.rawValue)" }
}
