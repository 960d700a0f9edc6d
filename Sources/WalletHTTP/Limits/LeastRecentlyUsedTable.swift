/// At most ``capacity`` values by key; when full, a new key takes the place of the key used longest ago.
///
/// Every operation is O(1) (amortised, as the dictionary's own are): the entries live in one array of slots, linked
/// from the most to the least recently used by slot index, and a dictionary maps each key to its slot. Eviction
/// unlinks the oldest slot and reuses it in place, so the array never grows past `capacity` and nothing is scanned.
///
/// I/O-free and not thread-safe: its owner keeps it under a lock.
struct LeastRecentlyUsedTable<Key: Hashable, Value> {
    private struct Slot {
        var key: Key
        var value: Value
        /// The slot used just after this one, or ``none``.
        var newer: Int32
        /// The slot used just before this one, or ``none``.
        var older: Int32
    }

    /// No slot.
    private static var none: Int32 { -1 }

    /// The most entries held.
    let capacity: Int
    private var slots: [Slot] = []
    private var slotOfKey: [Key: Int32] = [:]
    private var newest = Self.none
    private var oldest = Self.none

    /// - Precondition: `capacity` is 1 to `Int32.max`.
    init(capacity: Int) {
        precondition((1...Int(Int32.max)).contains(capacity), "a table of 1 to \(Int32.max) entries")
        self.capacity = capacity
    }

    /// Entries held now.
    var count: Int { slotOfKey.count }

    /// The value of `key`, which becomes the most recently used; nil when the table does not hold it.
    mutating func use(_ key: Key) -> Value? {
        guard let slot = slotOfKey[key] else { return nil }
        moveToNewest(slot)
        return slots[Int(slot)].value
    }

    /// Sets the value of `key`, which becomes the most recently used. A new key in a full table takes the slot of
    /// the least recently used one, which is returned.
    @discardableResult
    mutating func set(_ value: Value, for key: Key) -> (key: Key, value: Value)? {
        if let slot = slotOfKey[key] {
            slots[Int(slot)].value = value
            moveToNewest(slot)
            return nil
        }
        guard count == capacity else {
            let slot = Int32(slots.count)
            slots.append(Slot(key: key, value: value, newer: Self.none, older: Self.none))
            slotOfKey[key] = slot
            linkAsNewest(slot)
            return nil
        }
        let slot = oldest
        let evicted = slots[Int(slot)]
        unlink(slot)
        slotOfKey[evicted.key] = nil
        slots[Int(slot)] = Slot(key: key, value: value, newer: Self.none, older: Self.none)
        slotOfKey[key] = slot
        linkAsNewest(slot)
        return (evicted.key, evicted.value)
    }

    /// The keys from the most to the least recently used (for tests).
    var keysFromNewest: [Key] {
        var keys: [Key] = []
        var slot = newest
        while slot != Self.none, keys.count < count {
            keys.append(slots[Int(slot)].key)
            slot = slots[Int(slot)].older
        }
        return keys
    }

    private mutating func moveToNewest(_ slot: Int32) {
        guard slot != newest else { return }
        unlink(slot)
        linkAsNewest(slot)
    }

    private mutating func unlink(_ slot: Int32) {
        let (newer, older) = (slots[Int(slot)].newer, slots[Int(slot)].older)
        if newer == Self.none { newest = older } else { slots[Int(newer)].older = older }
        if older == Self.none { oldest = newer } else { slots[Int(older)].newer = newer }
        slots[Int(slot)].newer = Self.none
        slots[Int(slot)].older = Self.none
    }

    private mutating func linkAsNewest(_ slot: Int32) {
        slots[Int(slot)].older = newest
        slots[Int(slot)].newer = Self.none
        if newest != Self.none { slots[Int(newest)].newer = slot }
        newest = slot
        if oldest == Self.none { oldest = slot }
    }
}
