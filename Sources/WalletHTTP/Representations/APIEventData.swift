public import WalletCore

/// The data of events in the API's own representations: an event's object is byte for byte what a read returns.
public struct APIEventData: EventDataRenderer {
    public init() {}

    public func data(of wallet: Wallet) -> [UInt8] {
        var json = JSONWriter()
        json.wallet(wallet)
        return json.bytes
    }

    public func data(of transaction: LedgerTransaction, viewer: PrincipalID) -> [UInt8] {
        var json = JSONWriter()
        json.transaction(transaction, viewer: viewer)
        return json.bytes
    }

    public func data(of hold: Hold) -> [UInt8] {
        var json = JSONWriter()
        json.hold(hold)
        return json.bytes
    }
}
