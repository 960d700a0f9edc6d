/// What the verification of one run found.
public struct VerificationResult: Hashable, Sendable, Codable {
    /// Wallets whose balance and history were read.
    public var wallets = 0
    /// Keys answered with a transaction (funding included).
    public var acknowledgedKeys = 0
    /// Keys answered with a business refusal.
    public var refusedKeys = 0
    /// Keys answered with another definite error.
    public var rejectedKeys = 0
    /// Entries read across every wallet's history.
    public var entriesRead = 0
    /// Keys that had no definite answer after the load and were resent until they had.
    public var resolvedKeys = 0
    /// The sum of every balance read.
    public var totalMoney: Int64 = 0
    /// Holds acknowledged (placed with `201`) and read back, by the status read back.
    public var holds: [String: Int] = [:]
    /// The sum of every wallet's `held` as read.
    public var totalHeld: Int64 = 0
    /// Acknowledged captures whose transaction was read back.
    public var capturesReadBack = 0
    /// Reversals acknowledged (partial or whole).
    public var reversals = 0
    /// Transactions with acknowledged reversals read back (`reversed_amount`, `reversal_ids`).
    public var reversedOriginalsReadBack = 0
    /// What differs; empty when the verification passed.
    public var failures: [String] = []

    public init() {}

    public var passed: Bool { failures.isEmpty }

    /// One line: "verification passed: …counts…" or "verification FAILED: …" with every failure on its own line.
    public var summary: String {
        let counts =
            "\(wallets) wallets, \(acknowledgedKeys) acknowledged keys, \(refusedKeys) refusals, \(rejectedKeys) other errors, "
            + "\(entriesRead) entries, \(resolvedKeys) resolved after the run, total money \(totalMoney)"
            + (holds.isEmpty
                ? ""
                : ", holds {" + holds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    + "}, total held \(totalHeld), \(capturesReadBack) capture transactions read back")
            + (reversals == 0 ? "" : ", \(reversals) reversals of \(reversedOriginalsReadBack) transactions read back")
        guard !passed else { return "verification passed: \(counts)" }
        return "verification FAILED: \(failures.count) problem(s) (\(counts))\n" + failures.map { "  - " + $0 }.joined(separator: "\n")
    }
}
