/// Everything one money movement needs inside its database transaction: the request, who asks, under which
/// idempotency key, and how to render the outcome.
///
/// A unit of work that the retry loop and the ``WalletBatchScheduler`` schedule without knowing what it does.
struct MovementCommand: Sendable {
    let request: MovementRequest
    let principal: PrincipalID
    let idempotencyKey: IdempotencyKey
    let fingerprint: RequestFingerprint
    /// Renders the outcome into the response to store; runs inside the transaction, on a database thread.
    let render: @Sendable (MovementOutcome) -> StoredResponse

    init(
        request: MovementRequest,
        principal: PrincipalID,
        idempotencyKey: IdempotencyKey,
        render: @escaping @Sendable (MovementOutcome) -> StoredResponse
    ) {
        self.request = request
        self.principal = principal
        self.idempotencyKey = idempotencyKey
        self.fingerprint = RequestFingerprint(request)
        self.render = render
    }
}

extension MovementCommand: WalletScopedJob {
    var walletIDs: [WalletID] { request.walletIDs }
    /// Idempotency keys are scoped per principal; two commands under one key never share a transaction.
    var batchExclusionKey: String { "\(principal.rawValue) \(idempotencyKey.rawValue)" }
}
