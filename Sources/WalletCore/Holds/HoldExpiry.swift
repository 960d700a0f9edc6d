/// How long a new hold lasts: from 1 second to 30 days, 7 days unless the request says otherwise.
public struct HoldExpiry: Hashable, Sendable, CustomStringConvertible {
    /// The lifetime of a hold whose request names none.
    public static let `default` = HoldExpiry(seconds: 7 * 24 * 60 * 60)!
    /// Every lifetime a request may ask for, in seconds.
    public static let validSeconds: ClosedRange<Int64> = 1...(30 * 24 * 60 * 60)

    /// The lifetime in whole seconds, within ``validSeconds``.
    public let seconds: Int64

    /// The lifetime of `seconds`, or nil when it is outside ``validSeconds``.
    public init?(seconds: Int64) {
        guard Self.validSeconds.contains(seconds) else { return nil }
        self.seconds = seconds
    }

    public var description: String { String(seconds) }
}
