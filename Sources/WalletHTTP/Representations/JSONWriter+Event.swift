public import WalletCore

extension JSONWriter {
    /// `{"id","type","created_at","data"}`: the event as the feed lists it and as a webhook delivers it.
    public mutating func event(_ event: Event) {
        object { json in
            json.field("id", event.id.rawValue)
            json.field("type", event.type.rawValue)
            json.field("created_at", timestamp: event.createdAt)
            json.key("data")
            json.encodedValue(event.data)
        }
    }
}
