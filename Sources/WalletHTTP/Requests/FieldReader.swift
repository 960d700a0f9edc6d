import HTTPTypes

/// Reads the members of a JSON object request body, collecting every fault as an invalid parameter so that one
/// answer names all of them.
public struct FieldReader {
    private let members: [String: JSONValue]
    public private(set) var invalidParameters: [Problem.InvalidParameter] = []

    /// Starts reading `body`, which must be an object holding only the `allowed` fields.
    public init(_ body: JSONValue, allowed: [String]) {
        guard case .object(let members) = body else {
            self.members = [:]
            invalidParameters.append(.init(name: "body", reason: "must be a JSON object, not \(body.typeName)"))
            return
        }
        self.members = Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) })
        for member in members where !allowed.contains(member.key) {
            invalidParameters.append(.init(name: member.key, reason: "is not a known field"))
        }
    }

    /// A required string field.
    public mutating func string(_ name: String) -> String? {
        guard let value = required(name) else { return nil }
        guard case .string(let text) = value else {
            invalid(name, "must be a string, not \(value.typeName)")
            return nil
        }
        return text
    }

    /// An optional string field: nil when it is absent or `null`.
    public mutating func optionalString(_ name: String) -> String? {
        guard let value = members[name], value != .null else { return nil }
        return string(name)
    }

    /// A required integer field within `range`.
    public mutating func integer(_ name: String, in range: ClosedRange<Int64>) -> Int64? {
        guard let value = required(name) else { return nil }
        guard case .integer(let number) = value else {
            if case .number = value {
                invalid(name, "must be a whole number between \(range.lowerBound) and \(range.upperBound)")
            } else {
                invalid(name, "must be an integer, not \(value.typeName)")
            }
            return nil
        }
        guard range.contains(number) else {
            invalid(name, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number
    }

    /// An optional integer field within `range`: nil when it is absent or `null`.
    public mutating func optionalInteger(_ name: String, in range: ClosedRange<Int64>) -> Int64? {
        guard let value = members[name], value != .null else { return nil }
        return integer(name, in: range)
    }

    /// A required number field above 0 and at most `maximum` (an integer or a decimal).
    public mutating func positiveNumber(_ name: String, atMost maximum: Double) -> Double? {
        guard let value = required(name) else { return nil }
        let number: Double? =
            switch value {
            case .integer(let integer): Double(integer)
            case .number(let text): Double(text)
            default: nil
            }
        guard let number, number.isFinite, number > 0, number <= maximum else {
            invalid(name, "must be a number above 0 and at most \(maximum)")
            return nil
        }
        return number
    }

    /// A required array of strings.
    public mutating func stringArray(_ name: String) -> [String]? {
        guard let value = required(name) else { return nil }
        guard case .array(let elements) = value else {
            invalid(name, "must be an array of strings, not \(value.typeName)")
            return nil
        }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else {
                invalid(name, "must hold only strings, not \(element.typeName)")
                return nil
            }
            strings.append(text)
        }
        return strings
    }

    /// A required array field's elements.
    public mutating func array(_ name: String) -> [JSONValue]? {
        guard let value = required(name) else { return nil }
        guard case .array(let elements) = value else {
            invalid(name, "must be an array, not \(value.typeName)")
            return nil
        }
        return elements
    }

    /// An optional object field's members: nil when it is absent or `null`.
    public mutating func optionalObject(_ name: String) -> [(key: String, value: JSONValue)]? {
        guard let value = members[name], value != .null else { return nil }
        guard case .object(let members) = value else {
            invalid(name, "must be an object, not \(value.typeName)")
            return nil
        }
        return members
    }

    /// Records a fault found by the caller's own checks.
    public mutating func invalid(_ name: String, _ reason: String) {
        invalidParameters.append(.init(name: name, reason: reason))
    }

    /// Throws `400 invalid_request` naming every fault, if there is any.
    public func finish() throws(Problem) {
        guard invalidParameters.isEmpty else { throw Problem.invalidRequest(invalidParameters) }
    }

    private mutating func required(_ name: String) -> JSONValue? {
        guard let value = members[name] else {
            invalid(name, "is required")
            return nil
        }
        return value
    }
}

extension Problem {
    /// `400 invalid_request` naming each bad field.
    public static func invalidRequest(_ parameters: [InvalidParameter]) -> Problem {
        let names = parameters.map(\.name).joined(separator: ", ")
        return Problem(
            .badRequest,
            code: "invalid_request",
            title: "Invalid request",
            detail: "The request has invalid fields: \(names).",
            invalidParameters: parameters
        )
    }
}
