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

    @Test func theHistoryCursorPatternAdmitsEveryHistoryCursorAndNothingElse() throws {
        let (pattern, excluded) = try Self.schema(after: "\n    Cursor:\n")
        for string in try Self.admitted(by: pattern, count: 2_000) where string != excluded {
            #expect(EntryCursor(encoded: string) != nil, "\(string) matches the spec's pattern")
        }
        #expect(EntryCursor(encoded: excluded) == nil)
        for sequence in [Int64(1), 255, 1 << 40, .max] {
            #expect(EntryCursor(lastSequence: sequence).encoded.range(of: pattern, options: .regularExpression) != nil)
        }
    }

    @Test func theEventCursorPatternAdmitsEveryEventCursorAndNothingElse() throws {
        let (pattern, excluded) = try Self.schema(after: "operationId: listEvents")
        for string in try Self.admitted(by: pattern, count: 2_000) where string != excluded {
            #expect(EventCursor(encoded: string) != nil, "\(string) matches the spec's pattern")
        }
        #expect(EventCursor(encoded: excluded) == nil)
        for position in [Int64(1), 255, 1 << 40, .max] {
            #expect(EventCursor(lastPosition: position).encoded.range(of: pattern, options: .regularExpression) != nil)
        }
    }

    @Test func theDeliveryCursorPatternAdmitsEveryDeliveryCursorAndNothingElse() throws {
        let (pattern, excluded) = try Self.schema(after: "operationId: listWebhookDeliveries")
        for string in try Self.admitted(by: pattern, count: 2_000) where string != excluded {
            #expect(WebhookDeliveryCursor(encoded: string) != nil, "\(string) matches the spec's pattern")
        }
        #expect(WebhookDeliveryCursor(encoded: excluded) == nil)
        for sequence in [Int64(1), 255, 1 << 40, .max] {
            #expect(WebhookDeliveryCursor(lastSequence: sequence).encoded.range(of: pattern, options: .regularExpression) != nil)
        }
    }
}
