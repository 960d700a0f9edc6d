/// A migration file that cannot be split into statements, with the line where the problem starts.
public struct SQLSplitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A `'…'`, `"…"` or `` `…` `` that never closes.
        public static let unterminatedQuote = Code("unterminatedQuote")
        /// A `/* …` that never closes.
        public static let unterminatedComment = Code("unterminatedComment")
        /// A `DELIMITER` line: a command of the `mariadb` client, not SQL.
        public static let delimiterCommand = Code("delimiterCommand")
        /// More statements than ``SQLStatementSplitter/maximumStatements``.
        public static let tooManyStatements = Code("tooManyStatements")

        /// The code's name.
        public var description: String { name }
    }

    /// The kind of problem.
    public let code: Code
    /// The 1-based line where the offending quote, comment or statement starts.
    public let line: Int
    /// What went wrong, for people.
    public let message: String

    /// An error of kind `code` at `line`.
    public init(code: Code, line: Int, message: String) {
        self.code = code
        self.line = line
        self.message = message
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}
