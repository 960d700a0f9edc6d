import Crypto

/// What an idempotency key is bound to: the request's canonical fields as text, and their SHA-256.
///
/// The canonical text is one `name=value` line per field, in ``MovementRequest/fieldNames`` order. It is stored
/// with the key so that a reused key can be answered with the names of the fields that differ.
struct RequestFingerprint: Hashable, Sendable {
    /// The longest canonical text (the `request_fields` column).
    static let maximumCanonicalLength = 1024

    /// The canonical fields, one `name=value` line each.
    let canonicalFields: String
    /// The lower-case hex SHA-256 of ``canonicalFields``.
    let digest: String

    init(_ request: MovementRequest) {
        let fields = request.fields
        let text = MovementRequest.fieldNames.compactMap { name in fields[name].map { "\(name)=\($0)\n" } }.joined()
        precondition(text.utf8.count <= Self.maximumCanonicalLength, "canonical request fields fit their column")
        self.canonicalFields = text
        self.digest = Hex.lowercase(SHA256.hash(data: Array(text.utf8)))
    }

    /// The names of the fields whose values differ between `storedFields` (another request's canonical text) and
    /// this request, or that only one of them has, in ``MovementRequest/fieldNames`` order.
    func mismatchedFields(against storedFields: String) -> [String] {
        let stored = Self.parse(storedFields)
        let requested = Self.parse(canonicalFields)
        let names = MovementRequest.fieldNames.filter { stored[$0] != requested[$0] }
        // Two different fingerprints always differ in some field; name them all if the stored text is unreadable.
        return names.isEmpty ? MovementRequest.fieldNames.filter { requested[$0] != nil } : names
    }

    private static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return fields
    }
}
