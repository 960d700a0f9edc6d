/// How many entries one page of a wallet's history holds.
public struct PageSize: Hashable, Sendable {
    /// The sizes a client may ask for.
    public static let validRange: ClosedRange<Int> = 1...100
    /// The size of a history page when the client asks for none.
    public static let `default` = PageSize(unchecked: 20)
    /// The largest size: a wallet list page when the client asks for none.
    public static let largest = PageSize(unchecked: validRange.upperBound)

    /// The number of entries, within ``validRange``.
    public let value: Int

    /// The size `value`, or nil when it is outside ``validRange``.
    public init?(_ value: Int) {
        guard Self.validRange.contains(value) else { return nil }
        self.value = value
    }

    private init(unchecked value: Int) {
        self.value = value
    }
}
