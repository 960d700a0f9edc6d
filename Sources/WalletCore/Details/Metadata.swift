import Foundation

/// The caller's own key-value pairs on a money movement (`{"order_id": "ord_8812"}`), stored with it and never
/// changed: at most ``maximumKeys`` keys of 1 to ``maximumKeyLength`` characters of `[A-Za-z0-9_.-]`, each with a
/// string value of at most ``maximumValueLength`` characters (Stripe's limits).
public struct Metadata: Hashable, Sendable {
    /// The most keys.
    public static let maximumKeys = 50
    /// The longest key, in characters.
    public static let maximumKeyLength = 40
    /// The longest value, in Unicode scalars.
    public static let maximumValueLength = 500
    /// No metadata.
    public static let empty = Metadata(unchecked: [:])

    /// Why a key or a value is refused.
    public enum Violation: Error, Hashable, Sendable {
        /// More than ``maximumKeys`` keys.
        case tooManyKeys
        /// The key is empty, too long or holds other characters.
        case invalidKey(String)
        /// The value of the key is longer than ``maximumValueLength``.
        case valueTooLong(key: String)
    }

    /// The pairs.
    public let values: [String: String]

    /// The pairs in key order (the order they are stored, fingerprinted and shown in).
    public var sorted: [(key: String, value: String)] { values.sorted { $0.key < $1.key } }

    /// `values` as metadata, or the first violation, in key order.
    public static func validated(_ values: [String: String]) -> Result<Metadata, Violation> {
        guard values.count <= maximumKeys else { return .failure(.tooManyKeys) }
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            guard isValidKey(key) else { return .failure(.invalidKey(key)) }
            guard value.unicodeScalars.count <= maximumValueLength else { return .failure(.valueTooLong(key: key)) }
        }
        return .success(Metadata(unchecked: values))
    }

    /// Whether `key` is 1 to ``maximumKeyLength`` characters of `[A-Za-z0-9_.-]`.
    public static func isValidKey(_ key: String) -> Bool {
        (1...maximumKeyLength).contains(key.utf8.count)
            && key.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2E
                    || byte == 0x2D
            }
    }

    private init(unchecked values: [String: String]) {
        self.values = values
    }

    /// The stored form: a JSON object with sorted keys; nil for no metadata.
    var storedText: String? {
        guard !values.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A [String: String] always encodes.
        return String(decoding: try! encoder.encode(values), as: UTF8.self)
    }

    /// The metadata stored as `text` (nil: none); nil when the text is not such an object.
    init?(storedText text: String?) {
        guard let text else {
            self = .empty
            return
        }
        guard let values = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)),
            case .success(let metadata) = Self.validated(values)
        else { return nil }
        self = metadata
    }
}
