import Foundation
import Hummingbird

/// The query of a route that takes only the parameters it names, each at most once.
struct QueryParameters {
    /// The values given, by name.
    let values: [String: String]
    /// The faults found so far: each unknown parameter, then what the route's own checks record.
    var invalidParameters: [Problem.InvalidParameter] = []

    /// Reads `request`'s query; `allowed` names the parameters the route takes. A repeated parameter is
    /// `400 invalid_request` naming each (at once: which value was meant is unknown); an unknown one is recorded in
    /// ``invalidParameters``.
    init(_ request: Request, allowed: Set<String>) throws(Problem) {
        var seen = Set<Substring>()
        var repeated: [Problem.InvalidParameter] = []
        for (name, _) in request.uri.queryParameters where !seen.insert(name).inserted && !repeated.contains(where: { $0.name == name }) {
            repeated.append(.init(name: String(name), reason: "is given more than once"))
        }
        guard repeated.isEmpty else { throw Problem.invalidRequest(repeated) }
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            if allowed.contains(String(name)) {
                values[String(name)] = String(value)
            } else {
                invalidParameters.append(.init(name: String(name), reason: "is not a known parameter"))
            }
        }
        self.values = values
    }

    /// Records a fault found by the route's own checks.
    mutating func invalid(_ name: String, _ reason: String) {
        invalidParameters.append(.init(name: name, reason: reason))
    }

    /// The parameter `name` as an RFC 3339 instant (finer than a microsecond rounded as `rounding` says); nil when
    /// absent, and recorded as a fault when it is not one.
    mutating func instant(_ name: String, rounding: RFC3339.Rounding) -> Date? {
        guard let text = values[name] else { return nil }
        guard let instant = RFC3339.parse(text, rounding: rounding) else {
            invalid(name, "must be an RFC 3339 date-time, such as 2024-06-01T12:00:00Z")
            return nil
        }
        return instant
    }

    /// Throws `400 invalid_request` naming every fault, if there is any.
    func finish() throws(Problem) {
        guard invalidParameters.isEmpty else { throw Problem.invalidRequest(invalidParameters) }
    }
}
