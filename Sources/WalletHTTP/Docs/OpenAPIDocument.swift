/// The service's OpenAPI document: its text, and the operations it lists.
///
/// The operations are read with a small scanner of the `paths:` block (two-space YAML indentation, as the
/// document is written), enough for the reference page and for checking that spec and routes agree.
public struct OpenAPIDocument: Sendable {
    /// One operation of the document.
    public struct Operation: Sendable, Hashable {
        public var method: String
        public var path: String
        public var summary: String
    }

    /// The YAML text, as served at `/openapi.yaml`.
    public let text: String
    /// The operations, in document order.
    public let operations: [Operation]

    private static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    public init(text: String) {
        self.text = text
        var operations: [Operation] = []
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.trimmingWhitespace().isEmpty || line.trimmingWhitespace().hasPrefix("#") { continue }
            if !line.hasPrefix(" ") {
                inPaths = line.hasPrefix("paths:")
                path = nil
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = String(line.dropFirst(4).dropLast())
                if Self.methods.contains(method) {
                    operations.append(Operation(method: method.uppercased(), path: path, summary: ""))
                }
            } else if line.hasPrefix("      summary:"), !operations.isEmpty, operations[operations.count - 1].summary.isEmpty {
                operations[operations.count - 1].summary = line.dropFirst("      summary:".count).trimmingWhitespace().unquoted
            }
        }
        self.operations = operations
    }
}

extension Substring {
    fileprivate var unquoted: String {
        if count >= 2, let first, first == last, first == "\"" || first == "'" { return String(dropFirst().dropLast()) }
        return String(self)
    }
}
