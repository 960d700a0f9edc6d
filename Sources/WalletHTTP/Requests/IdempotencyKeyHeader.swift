public import HTTPTypes
public import Hummingbird

/// The `Idempotency-Key` header of a money-moving request: the bare form (`abc-123`) or the quoted structured-field
/// string form (`"abc-123"`).
public enum IdempotencyKeyHeader {
    /// The header name.
    public static let name = HTTPField.Name("Idempotency-Key")!
    /// The longest key accepted, in bytes.
    public static let maximumLength = 255

    /// The key, or `400 idempotency_key_missing` / `400 idempotency_key_invalid`.
    public static func key(of request: Request) throws(Problem) -> String {
        guard let raw = request.headers[name] else {
            throw Problem(
                .badRequest,
                code: "idempotency_key_missing",
                title: "Idempotency key missing",
                detail: "Money-moving requests need an Idempotency-Key header; retry with the same key to get the same answer."
            )
        }
        guard let key = parse(raw) else {
            throw Problem(
                .badRequest,
                code: "idempotency_key_invalid",
                title: "Idempotency key invalid",
                detail: "The Idempotency-Key must be 1 to \(maximumLength) visible ASCII characters (optionally in double quotes)."
            )
        }
        return key
    }

    /// The key of a header value, or nil when it is not acceptable.
    static func parse(_ raw: String) -> String? {
        var value = Substring(raw).trimmingWhitespace()
        if value.count >= 2, value.first == "\"", value.last == "\"" {
            // sf-string: escapes are \" and \\ only.
            var unescaped = ""
            var iterator = value.dropFirst().dropLast().makeIterator()
            while let character = iterator.next() {
                if character == "\\" {
                    guard let escaped = iterator.next(), escaped == "\"" || escaped == "\\" else { return nil }
                    unescaped.append(escaped)
                } else if character == "\"" {
                    return nil
                } else {
                    unescaped.append(character)
                }
            }
            value = Substring(unescaped)
        }
        guard !value.isEmpty, value.utf8.count <= maximumLength, value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            return nil
        }
        return String(value)
    }
}
