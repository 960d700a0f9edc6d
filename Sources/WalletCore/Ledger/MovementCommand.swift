/// Everything one money movement needs inside its database transaction: the request, who asks, under which
/// idempotency key, which wallets it touches, how to render the outcome, and until when it may try.
///
/// A unit of work that the retry loop and the ``WalletBatchScheduler`` schedule without knowing what it does.
struct MovementCommand: Sendable {
    let request: MovementRequest
    /// The caller's reference, description and metadata for the movement.
    let details: MovementDetails
    let principal: PrincipalID
    /// The key the movement runs under; nil only for the sweeper's expiries, which claim and store nothing.
    let idempotencyKey: IdempotencyKey?
    let fingerprint: RequestFingerprint
    /// Every wallet the movement touches, in ascending id order: those the request names, a hold's wallet, and the
    /// wallets of the transaction a reversal reverses.
    let walletIDs: [WalletID]
    /// Renders the outcome into the response to store; runs inside the transaction, on a database thread.
    let render: @Sendable (MovementOutcome) -> StoredResponse
    /// When the movement gives up: no attempt starts, no backoff sleeps and no statement runs past it, and a
    /// movement still waiting then is answered ``WalletError/contention`` with nothing committed.
    let deadline: ContinuousClock.Instant

    init(
        request: MovementRequest,
        details: MovementDetails = .none,
        principal: PrincipalID,
        idempotencyKey: IdempotencyKey?,
        walletsLookedUp: [WalletID] = [],
        deadline: ContinuousClock.Instant,
        render: @escaping @Sendable (MovementOutcome) -> StoredResponse
    ) {
        self.request = request
        self.details = details
        self.principal = principal
        self.idempotencyKey = idempotencyKey
        self.fingerprint = RequestFingerprint(request, details: details)
        self.walletIDs = Set(request.walletIDs + walletsLookedUp).sorted()
        self.render = render
        self.deadline = deadline
    }
}

extension MovementCommand: WalletScopedJob {
    /// Idempotency keys are scoped per principal; two commands under one key never share a transaction, nor do
    /// two expiries of one hold.
    var batchExclusionKey: String {
        if let idempotencyKey { "\(principal.rawValue) \(idempotencyKey.rawValue)" } else { "\(request.operation.rawValue) \(request.holdID?.rawValue ?? "")" }
    }
}
