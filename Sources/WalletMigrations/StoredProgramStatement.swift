/// What kind of stored program a migration statement creates or drops, when MariaDB checks it against the binary log.
///
/// With a binary log (or Galera's replication, which emulates one) and `log_bin_trust_function_creators` off,
/// MariaDB 10.11 refuses `CREATE TRIGGER`, `DROP TRIGGER` and `CREATE FUNCTION` from an account without SUPER,
/// with error 1419, whatever other privileges it has (`TRIGGER`, `CREATE ROUTINE`, `BINLOG ADMIN` do not help).
/// `CREATE PROCEDURE` is not checked.
public enum StoredProgramStatement: String, Sendable {
    case createTrigger = "CREATE TRIGGER"
    case dropTrigger = "DROP TRIGGER"
    case createFunction = "CREATE FUNCTION"

    /// The kind of `statement`, or nil for any statement that the binary-log check does not concern.
    public init?(_ statement: SQLStatement) {
        // CREATE [OR REPLACE] [DEFINER = account] [AGGREGATE] TRIGGER | FUNCTION …, or DROP TRIGGER …
        let words = statement.text.split(whereSeparator: \.isWhitespace).prefix(Self.wordsExamined).map { $0.uppercased() }
        guard let verb = words.first else { return nil }
        let rest = words.dropFirst().filter { word in
            !Self.modifiers.contains(word) && !word.hasPrefix("DEFINER") && !word.contains("@")
        }
        switch (verb, rest.first ?? "") {
        case ("CREATE", "TRIGGER"): self = .createTrigger
        case ("CREATE", "FUNCTION"): self = .createFunction
        case ("DROP", "TRIGGER"): self = .dropTrigger
        default: return nil
        }
    }

    /// Words that may stand between `CREATE` and the object's kind (besides `DEFINER=…` and an `'user'@'host'`).
    static let modifiers: Set<String> = ["OR", "REPLACE", "AGGREGATE", "=", "CURRENT_USER", "CURRENT_USER()"]

    /// Enough words to get past `CREATE OR REPLACE DEFINER = 'user'@'host' AGGREGATE` to the object's kind.
    static let wordsExamined = 8
}
