public import Foundation
import MariaDB

/// Writes compact JSON straight into bytes, fields in the order written.
///
/// Response bodies are written with this rather than `JSONEncoder`: field order is stable (a replayed response is
/// byte-identical to the first, and reads well), and it does no reflection on the hot path.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    public init() {
        bytes.reserveCapacity(256)
    }

    /// Writes `{ … }`, with `body` writing the members.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
        body(&self)
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes `[ … ]`, with `body` writing the elements.
    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
        body(&self)
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a member name; the next value written is its value.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        // The value that follows needs no comma of its own.
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ value: String) {
        separate()
        appendString(value)
    }

    public mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes a finite number; one without a fraction is written as an integer.
    ///
    /// - Precondition: `value` is finite (JSON has no NaN or infinity).
    public mutating func number(_ value: Double) {
        precondition(value.isFinite, "JSON numbers are finite")
        separate()
        if value == value.rounded(), let integer = Int64(exactly: value) {
            bytes.append(contentsOf: String(integer).utf8)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    public mutating func boolean(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes `json`, one value already encoded as JSON by this service (an event's stored data), as it is.
    public mutating func encodedValue(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes an RFC 3339 UTC timestamp with microseconds, as MariaDB stores them.
    public mutating func timestamp(_ date: Date) {
        string(RFC3339.format(date))
    }

    /// Member helpers.
    public mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Int64) {
        key(name)
        integer(value)
    }

    /// A string member, or `null` when `value` is nil.
    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    /// An integer member, or `null` when `value` is nil.
    public mutating func field(_ name: String, _ value: Int64?) {
        key(name)
        if let value { integer(value) } else { null() }
    }

    public mutating func field(_ name: String, timestamp value: Date) {
        key(name)
        timestamp(value)
    }

    private mutating func separate() {
        guard let last = needsComma.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20: bytes.append(contentsOf: String(format: "\\u%04x", byte).utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// RFC 3339 timestamps in UTC with microseconds: `2026-11-22T05:36:49.123456Z`.
public enum RFC3339 {
    /// The timestamp of `date`, to the nearest microsecond (written digit by digit: `String(format:)` is slow).
    public static func format(_ date: Date) -> String {
        let t = UTCDateTime(date)
        var text: [UInt8] = []
        text.reserveCapacity(27)
        append(t.year, digits: 4, to: &text, then: "-")
        append(t.month, digits: 2, to: &text, then: "-")
        append(t.day, digits: 2, to: &text, then: "T")
        append(t.hour, digits: 2, to: &text, then: ":")
        append(t.minute, digits: 2, to: &text, then: ":")
        append(t.second, digits: 2, to: &text, then: ".")
        append(t.microsecond, digits: 6, to: &text, then: "Z")
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `value` zero-padded to `digits` digits (more when it needs them), then `separator`.
    private static func append(_ value: Int64, digits: Int, to text: inout [UInt8], then separator: Unicode.Scalar) {
        precondition(value >= 0, "calendar fields of dates after year 0 are not negative")
        var decimal = Array(String(value).utf8)
        if decimal.count < digits { decimal.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits - decimal.count), at: 0) }
        text += decimal
        text.append(UInt8(ascii: separator))
    }
}
