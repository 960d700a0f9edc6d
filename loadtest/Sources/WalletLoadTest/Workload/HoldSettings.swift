/// How the workload's holds are placed and resolved.
public struct HoldSettings: Hashable, Sendable {
    /// The default share of holds placed with a short expiry.
    public static let defaultShortExpiryShare = 0.1
    /// The default short expiry, in seconds.
    public static let defaultShortExpirySeconds = 2
    /// The short expiries accepted, in seconds: long enough to be captured sometimes, short enough that the
    /// verification's wait for them stays short.
    public static let shortExpirySecondsRange = 1...60
    /// The share of capture and void draws that pick a recently taken hold (see ``HoldPool``).
    public static let defaultContestedShare = 0.1
    /// The default.
    public static let `default` = HoldSettings(
        shortExpiryShare: defaultShortExpiryShare, shortExpirySeconds: defaultShortExpirySeconds, contestedShare: defaultContestedShare)

    /// The share (0…1) of holds sent with `expires_in_seconds` ``shortExpirySeconds``, so that holds expire during
    /// the run; the others get the service's default (7 days).
    public let shortExpiryShare: Double
    public let shortExpirySeconds: Int
    /// The share (0…1) of captures and voids aimed at a hold another key took recently.
    public let contestedShare: Double

    public init(shortExpiryShare: Double, shortExpirySeconds: Int, contestedShare: Double) {
        precondition((0...1).contains(shortExpiryShare) && (0...1).contains(contestedShare), "a share is 0…1")
        precondition(Self.shortExpirySecondsRange.contains(shortExpirySeconds), "a short expiry is 1 to 60 s")
        self.shortExpiryShare = shortExpiryShare
        self.shortExpirySeconds = shortExpirySeconds
        self.contestedShare = contestedShare
    }
}
