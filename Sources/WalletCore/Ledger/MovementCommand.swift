/// Everything one money movement needs inside its database transaction: the request, who asks, under which
/// idempotency key, and how to render the outcome.
///
/// A unit of work that the retry loop and the ``WalletBatchScheduler`` schedule without knowing what it does.
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

extension MovementCommand: WalletScopedJob {
    var walletIDs: [WalletID] { request.walletIDs }
    /// Idempotency keys are scoped per user; two commands under one key never share a transaction.
    var batchExclusionKey: String { "\(actingUser.rawValue) \(idempotencyKey.rawValue)" }
}
