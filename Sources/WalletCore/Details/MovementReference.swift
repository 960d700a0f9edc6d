/// The caller's own id for a money movement (an order id such as `ord_8812`): 1 to 128 visible ASCII characters.
/// Transactions are found by it (`GET /v1/transactions?reference=`); it need not be unique.
public struct MovementReference: Hashable, Sendable, CustomStringConvertible {
    /// The longest reference, in characters (the `reference` columns).
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
