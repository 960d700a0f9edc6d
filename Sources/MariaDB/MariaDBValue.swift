public import Foundation

/// A value sent to or read from MariaDB: the parameter of a prepared statement or one column of a row.
public enum MariaDBValue: Sendable, Hashable {
    case null
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    /// A point in time, stored as a UTC `DATETIME(6)` (microsecond precision).
    case date(Date)
}

extension MariaDBValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(nilLiteral: ()) { self = .null }
}

/// A Swift type that can be read from a ``MariaDBValue``.
public protocol MariaDBDecodable {
    /// Decodes the value, or returns nil when it is not of this type.
    static func decode(from value: MariaDBValue) -> Self?
}

extension Int64: MariaDBDecodable {
    public static func decode(from value: MariaDBValue) -> Int64? {
        switch value {
        case .int(let v): v
        case .uint(let v): Int64(exactly: v)
        case .string(let s): Int64(s)
        case .bytes(let b): Int64(String(decoding: b, as: UTF8.self))
        default: nil
        }
    }
}

extension Int: MariaDBDecodable {
    public static func decode(from value: MariaDBValue) -> Int? { Int64.decode(from: value).flatMap { Int(exactly: $0) } }
}

extension UInt64: MariaDBDecodable {
    public static func decode(from value: MariaDBValue) -> UInt64? {
        switch value {
        case .uint(let v): v
        case .int(let v): UInt64(exactly: v)
        case .string(let s): UInt64(s)
        case .bytes(let b): UInt64(String(decoding: b, as: UTF8.self))
        default: nil
        }
    }
}

extension Bool: MariaDBDecodable {
    public static func decode(from value: MariaDBValue) -> Bool? { Int64.decode(from: value).map { $0 != 0 } }
}

extension Double: MariaDBDecodable {
    public static func decode(from value: MariaDBValue) -> Double? {
        switch value {
        case .double(let v): v
        case .int(let v): Double(v)
        case .uint(let v): Double(v)
        case .string(let s): Double(s)
        case .bytes(let b): Double(String(decoding: b, as: UTF8.self))
        default: nil
        }
    }
}

extension String: MariaDBDecodable {
    public static func decode(from value: MariaDBValue) -> String? {
        switch value {
        case .string(let s): s
        case .bytes(let b): String(validating: b, as: UTF8.self)
        case .int(let v): String(v)
        case .uint(let v): String(v)
        default: nil
        }
    }
}

extension Array: MariaDBDecodable where Element == UInt8 {
    public static func decode(from value: MariaDBValue) -> [UInt8]? {
        switch value {
        case .bytes(let b): b
        case .string(let s): Array(s.utf8)
        default: nil
        }
    }
}

extension Date: MariaDBDecodable {
    public static func decode(from value: MariaDBValue) -> Date? {
        switch value {
        case .date(let d): d
        case .string(let s): MariaDBDateTime.parse(s)
        case .bytes(let b): MariaDBDateTime.parse(String(decoding: b, as: UTF8.self))
        default: nil
        }
    }
}

extension Optional: MariaDBDecodable where Wrapped: MariaDBDecodable {
    public static func decode(from value: MariaDBValue) -> Wrapped?? {
        if case .null = value { return .some(.none) }
        return Wrapped.decode(from: value).map { .some($0) }
    }
}
