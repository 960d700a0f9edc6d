/// Statements over many rows (`INSERT … VALUES (…), (…)`, `WHERE id IN (?, ?)`) in a few fixed sizes, so that each
/// connection prepares a handful of statements whatever the number of rows, and reuses them.
struct MultiRowStatement: Sendable {
    /// The row counts one statement may have, largest first: powers of two up to the largest batch.
    static let rowCounts = [64, 32, 16, 8, 4, 2, 1]

    private let texts: [Int: String]

    /// A statement made of `prefix`, then `row` repeated with `separator` between, then `suffix`.
    init(prefix: String, row: String, separator: String = ", ", suffix: String = "") {
        var texts: [Int: String] = [:]
        for count in Self.rowCounts {
            texts[count] = prefix + Array(repeating: row, count: count).joined(separator: separator) + suffix
        }
        self.texts = texts
    }

    /// The statement text for `rows` rows, which must be one of ``rowCounts``.
    func text(rows: Int) -> String {
        guard let text = texts[rows] else { preconditionFailure("\(rows) is not one of the fixed row counts") }
        return text
    }

    /// `items` cut into chunks whose sizes are ``rowCounts``, largest first, in order.
    static func chunks<Item>(of items: [Item]) -> [ArraySlice<Item>] {
        var chunks: [ArraySlice<Item>] = []
        var start = items.startIndex
        while start < items.endIndex {
            let remaining = items.endIndex - start
            let size = rowCounts.first { $0 <= remaining }!
            chunks.append(items[start..<(start + size)])
            start += size
        }
        return chunks
    }
}
