/// The three money movements the workload sends.
public enum MovementKind: String, CaseIterable, Codable, Sendable {
    case deposit, withdrawal, transfer

    /// How many ledger entries a transaction of this kind writes: one per wallet it touches.
    public var entryCount: Int { self == .transfer ? 2 : 1 }
}
