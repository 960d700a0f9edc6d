/// Where a hold is in its life. `active` is the only state that reserves money and the only one that changes; the
/// others are final. The raw values are the names the API and the database use.
public enum HoldStatus: String, Hashable, Sendable, CaseIterable {
    /// Reserving its amount until `expires_at`.
    case active
    /// Captured once: `captured_amount` moved, the rest was released.
    case captured
    /// Voided: the whole amount was released.
    case voided
    /// Reached `expires_at` while active: the whole amount was released.
    case expired
}
