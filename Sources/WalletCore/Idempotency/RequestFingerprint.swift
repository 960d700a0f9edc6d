import Crypto

/// What an idempotency key is bound to: the request's canonical fields as text, and their SHA-256.
///
/// The canonical text is one `name=value` line per field, in the order of ``MovementRequest/fields(details:)``. It
/// is stored with the key so that a reused key can be answered with the names of the fields that differ.
struct RequestFingerprint: Hashable, Sendable {
    /// The longest canonical text (the `request_fields` column is a TEXT of 65,535 bytes): 64 legs and 50
    /// metadata digests fit well within it.
    static let maximumCanonicalLength = 65_535

    /// The canonical fields, one `name=value` line each.
    let canonicalFields: String
    /// The lower-case hex SHA-256 of ``canonicalFields``.
    let digest: String

    init(_ request: MovementRequest, details: MovementDetails = .none) {
        let text = request.fields(details: details).map { "\($0.name)=\($0.value)\n" }.joined()
        precondition(text.utf8.count <= Self.maximumCanonicalLength, "canonical request fields fit their column")
        self.canonicalFields = text
        self.digest = Self.digest(of: text)
    }

    /// The lower-case hex SHA-256 of `text`.
    static func digest(of text: String) -> String {
        Hex.lowercase(SHA256.hash(data: Array(text.utf8)))
    }

    /// The names of the fields whose values differ between `storedFields` (another request's canonical text) and
    /// this request, or that only one of them has: this request's in its order, then those only the other has.
    func mismatchedFields(against storedFields: String) -> [String] {
        let stored = Self.parse(storedFields)
        let requested = Self.parse(canonicalFields)
        let storedValues = Dictionary(stored, uniquingKeysWith: { first, _ in first })
        let requestedValues = Dictionary(requested, uniquingKeysWith: { first, _ in first })
        let names = requested.map(\.name).filter { storedValues[$0] != requestedValues[$0] }
            + stored.map(\.name).filter { requestedValues[$0] == nil }
        // Two different fingerprints always differ in some field; name them all if the stored text is unreadable.
        return names.isEmpty ? requested.map(\.name) : names
    }

    private static func parse(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "\n").compactMap { line -> (name: String, value: String)? in
            guard let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[equals...].dropFirst()))
        }
    }
}
