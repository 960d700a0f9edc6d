/// The owner's own id for the customer a wallet is for (`owner_ref`, such as a backend's `cus_8812`): 1 to 128
/// visible ASCII characters (`!` to `~`, no spaces). Wallets are found by it (`GET /v1/wallets?owner_ref=`); it need
/// not be unique, since one customer may have a wallet per currency.
public struct OwnerReference: Hashable, Sendable, CustomStringConvertible {
    /// The longest reference, in characters.
    public static let maximumLength = 128

    /// The reference.
    public let rawValue: String

    /// The reference `text`, or nil when it is empty, longer than ``maximumLength`` or holds other characters.
    public init?(_ text: String) {
        guard VisibleASCII.isValid(text, maximumLength: Self.maximumLength) else { return nil }
        self.rawValue = text
    }

    public var description: String { rawValue }
}
