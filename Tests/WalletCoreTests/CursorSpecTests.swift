import Foundation
import Testing
import TestSupport

@testable import WalletCore

/// openapi.yaml describes each kind of cursor with a pattern, and the fuzzer sends any string that matches it as a
/// valid cursor: the pattern must admit exactly the cursors the service hands out (and their `not` the one it never
/// hands out, number zero).
@Suite("The spec's cursor patterns are the service's cursors")
struct CursorSpecTests {
    /// The pattern and excluded constant written after `anchor` in openapi.yaml.
    static func schema(after anchor: String) throws -> (pattern: String, excluded: String) {
        let text = try String(contentsOfFile: PrivateMariaDBServer.repositoryRoot + "/openapi.yaml", encoding: .utf8)
        let start = try #require(text.range(of: anchor), "no \(anchor) in openapi.yaml")
        let rest = text[start.upperBound...]
        let patternLine = try #require(rest.range(of: "pattern: '"))
        let patternEnd = try #require(rest[patternLine.upperBound...].firstIndex(of: "'"))
        let excludedLine = try #require(rest.range(of: "not: {const: "))
        let excludedEnd = try #require(rest[excludedLine.upperBound...].firstIndex(of: "}"))
        return (String(rest[patternLine.upperBound..<patternEnd]), String(rest[excludedLine.upperBound..<excludedEnd]))
    }

    /// Every string the pattern admits: "A", one character of its bracket (ranges such as `w-z0-3`), ten base64url
    /// digits. `count` of them, drawn with a fixed seed so that a failure repeats, plus each bracket character with
    /// all-zero and all-one tails.
    static func admitted(by pattern: String, count: Int) throws -> [String] {
        let match = try #require(pattern.range(of: #"^\^A\[([^\]]+)\]\[A-Za-z0-9_-\]\{10\}\$$"#, options: .regularExpression))
        let bracket = Array(pattern[match].dropFirst(3).prefix(while: { $0 != "]" }))
        var second: [Character] = []
        var index = 0
        while index < bracket.count {
            if index + 2 < bracket.count, bracket[index + 1] == "-" {
                let (low, high) = (bracket[index].asciiValue!, bracket[index + 2].asciiValue!)
                second += (low...high).map { Character(Unicode.Scalar($0)) }
                index += 3
            } else {
                second.append(bracket[index])
                index += 1
            }
        }
        let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var generator = SplitMix64(seed: 0x5EED)
        var strings = second.flatMap { ["A\($0)AAAAAAAAAA", "A\($0)__________"] }
        for _ in 0..<count {
            let tail = (0..<10).map { _ in digits.randomElement(using: &generator)! }
            strings.append("A" + String(second.randomElement(using: &generator)!) + String(tail))
        }
        return strings
    }

    /// A kind of cursor: where openapi.yaml describes it, and the service's decoder and encoder of it.
    struct Kind: Sendable, CustomStringConvertible {
        let anchor: String
        let decodes: @Sendable (String) -> Bool
        let encode: @Sendable (Int64) -> String
        let description: String
    }

    static let kinds = [
        Kind(anchor: "\n    Cursor:\n", decodes: { EntryCursor(encoded: $0) != nil }, encode: { EntryCursor(lastSequence: $0).encoded },
            description: "history"),
        Kind(anchor: "operationId: listEvents", decodes: { EventCursor(encoded: $0) != nil }, encode: { EventCursor(lastPosition: $0).encoded },
            description: "event feed"),
        Kind(anchor: "operationId: listWebhookDeliveries", decodes: { WebhookDeliveryCursor(encoded: $0) != nil },
            encode: { WebhookDeliveryCursor(lastSequence: $0).encoded }, description: "webhook deliveries"),
    ]

    @Test(arguments: kinds)
    func theSpecsPatternAdmitsEveryCursorOfTheKindAndNothingElse(kind: Kind) throws {
        let (pattern, excluded) = try Self.schema(after: kind.anchor)
        for string in try Self.admitted(by: pattern, count: 2_000) where string != excluded {
            #expect(kind.decodes(string), "\(string) matches the spec's pattern")
        }
        #expect(!kind.decodes(excluded))
        for number in [Int64(1), 255, 1 << 40, .max] {
            #expect(kind.encode(number).range(of: pattern, options: .regularExpression) != nil)
        }
    }
}
