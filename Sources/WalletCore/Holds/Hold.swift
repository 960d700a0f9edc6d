public import Foundation

/// A reservation of part of a wallet's balance: authorized now, captured or voided later, or expired.
///
/// While a hold is active and before its ``expiresAt`` its amount is not available to movements out of the wallet.
/// From ``expiresAt`` on it is expired, whether or not the sweeper has recorded that yet: ``asOf(_:)`` gives the
/// hold as it stands at an instant, which is what every read and every movement works with.
public struct Hold: Hashable, Sendable {
    /// The hold's id (`hld_…`).
    public let id: HoldID
    /// The wallet whose balance it reserves; it never changes.
    public let walletID: WalletID
    /// The amount reserved.
    public let amount: Amount
    /// The wallet's currency.
    public let currency: Currency
    /// The status as stored, or as of the instant given to ``asOf(_:)``.
    public let status: HoldStatus
    /// What the capture moved (1 to ``amount``); 0 unless ``status`` is captured.
    public let capturedAmount: Int64
    /// The transaction of the capture; nil unless ``status`` is captured.
    public let transactionID: TransactionID?
    /// The caller's reference, description and metadata, as placed; a capture's transaction carries those its own
    /// request leaves out.
    public let details: MovementDetails
    /// Bumped by every change of the stored hold: the optimistic check of captures, voids and expiries.
    public let version: Int64
    /// The first instant at which the hold is expired.
    public let expiresAt: Date
    /// When the hold was placed.
    public let createdAt: Date
    /// When it stopped being active (for an expired hold, ``expiresAt``); nil while active.
    public let resolvedAt: Date?

    /// The hold as it stands at `now`: an active hold whose time has come is expired from ``expiresAt`` on.
    public func asOf(_ now: Date) -> Hold {
        guard status == .active, expiresAt <= now else { return self }
        return changed(to: .expired, capturedAmount: 0, transactionID: nil, version: version, resolvedAt: expiresAt)
    }

    /// Whether the hold reserves its amount at `now`.
    func isActive(at now: Date) -> Bool { status == .active && now < expiresAt }

    /// The hold after it became `status` at `instant`, capturing `capturedAmount` in `transactionID` when captured.
    func resolved(_ status: HoldStatus, at instant: Date, capturedAmount: Int64 = 0, transactionID: TransactionID? = nil) -> Hold {
        precondition(self.status == .active && status != .active, "only an active hold is resolved, once")
        precondition((status == .captured) == (transactionID != nil), "exactly a capture names its transaction")
        precondition(status == .captured ? (1...amount.minorUnits).contains(capturedAmount) : capturedAmount == 0, "a capture takes 1 to the hold's amount")
        return changed(to: status, capturedAmount: capturedAmount, transactionID: transactionID, version: version + 1, resolvedAt: instant)
    }

    private func changed(to status: HoldStatus, capturedAmount: Int64, transactionID: TransactionID?, version: Int64, resolvedAt: Date) -> Hold {
        Hold(
            id: id, walletID: walletID, amount: amount, currency: currency, status: status, capturedAmount: capturedAmount,
            transactionID: transactionID, details: details, version: version, expiresAt: expiresAt,
            createdAt: createdAt, resolvedAt: resolvedAt
        )
    }
}

extension Hold: IdentifierKind {
    /// Hold ids start with `hld_`.
    public static let identifierPrefix = "hld"
}
