/// Splits the text of a migration file into statements at each `;` that is outside quotes and comments.
///
/// A pure function of its input, with no knowledge of files or connections. It understands MariaDB's lexical rules
/// that matter for finding statement ends:
/// - comments: `-- ` (two dashes followed by whitespace, a control character or the end of the text) and `#` to the
///   end of the line, and `/* … */`; executable comments (`/*! … */`, `/*M! … */`) count as SQL;
/// - string literals `'…'` and `"…"` with backslash escapes (`\'`, `\\`) and doubled quotes (`''`);
/// - quoted identifiers `` `…` `` with doubled backticks (a backslash is an ordinary character there).
///
/// Statements that hold nothing but whitespace and comments (`;;`, a trailing comment) are dropped; the last
/// statement needs no `;`. Not supported: the `mariadb` client's `DELIMITER` command (so no stored programs whose
/// bodies hold `;`), and the `NO_BACKSLASH_ESCAPES` SQL mode.
public enum SQLStatementSplitter {
    /// The most statements one file may hold.
    public static let maximumStatements = 10_000

    /// The statements of `sql`, in order.
    public static func split(_ sql: String) throws(SQLSplitError) -> [SQLStatement] {
        let bytes = Array(sql.utf8)
        var statements: [SQLStatement] = []
        var line = 1
        /// Where the current statement's first token starts, and on which line; nil while only comments were seen.
        var statementStart: (offset: Int, line: Int)?
        /// Just past the current statement's last token.
        var statementEnd = 0
        var index = 0

        func finishStatement() throws(SQLSplitError) {
            defer { statementStart = nil }
            guard let start = statementStart else { return }
            guard statements.count < maximumStatements else {
                throw SQLSplitError(
                    code: .tooManyStatements,
                    line: start.line,
                    message: "more than \(maximumStatements) statements in one file"
                )
            }
            let text = String(decoding: bytes[start.offset..<statementEnd], as: UTF8.self)
            if Self.isDelimiterCommand(text) {
                throw SQLSplitError(
                    code: .delimiterCommand,
                    line: start.line,
                    message: "DELIMITER is a command of the mariadb client, not SQL; migration files cannot use it"
                )
            }
            statements.append(SQLStatement(text: text, line: start.line))
        }

        func markToken(at offset: Int, line: Int) {
            if statementStart == nil { statementStart = (offset, line) }
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case ASCII.semicolon:
                try finishStatement()
                index += 1

            case ASCII.singleQuote, ASCII.doubleQuote, ASCII.backtick:
                markToken(at: index, line: line)
                let openingLine = line
                index = try endOfQuoted(bytes, from: index, line: &line, openingLine: openingLine)
                statementEnd = index

            case ASCII.hash:
                index = endOfLine(bytes, from: index)

            case ASCII.dash where isDashDashComment(bytes, at: index):
                index = endOfLine(bytes, from: index)

            case ASCII.slash where index + 1 < bytes.count && bytes[index + 1] == ASCII.star:
                let openingLine = line
                let isExecutable = isExecutableComment(bytes, at: index)
                let commentStart = index
                index = try endOfBlockComment(bytes, from: index, line: &line, openingLine: openingLine)
                if isExecutable {
                    markToken(at: commentStart, line: openingLine)
                    statementEnd = index
                }

            case ASCII.newline:
                line += 1
                index += 1

            case ASCII.space, ASCII.tab, ASCII.carriageReturn, ASCII.verticalTab, ASCII.formFeed:
                index += 1

            default:
                markToken(at: index, line: line)
                index += 1
                statementEnd = index
            }
        }
        try finishStatement()
        return statements
    }

    /// Just past the closing quote of the literal or identifier opened at `start`.
    private static func endOfQuoted(_ bytes: [UInt8], from start: Int, line: inout Int, openingLine: Int) throws(SQLSplitError) -> Int {
        let quote = bytes[start]
        let backslashEscapes = quote != ASCII.backtick
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.newline { line += 1 }
            if byte == ASCII.backslash && backslashEscapes {
                if index + 1 < bytes.count && bytes[index + 1] == ASCII.newline { line += 1 }
                index += 2
                continue
            }
            if byte == quote {
                if index + 1 < bytes.count && bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        let kind = quote == ASCII.backtick ? "quoted identifier" : "string literal"
        throw SQLSplitError(
            code: .unterminatedQuote,
            line: openingLine,
            message: "the \(kind) opened with \(Character(Unicode.Scalar(quote))) is never closed"
        )
    }

    /// Just past the `*/` of the comment opened at `start`.
    private static func endOfBlockComment(_ bytes: [UInt8], from start: Int, line: inout Int, openingLine: Int) throws(SQLSplitError) -> Int {
        var index = start + 2
        while index < bytes.count {
            if bytes[index] == ASCII.newline { line += 1 }
            if bytes[index] == ASCII.star && index + 1 < bytes.count && bytes[index + 1] == ASCII.slash {
                return index + 2
            }
            index += 1
        }
        throw SQLSplitError(code: .unterminatedComment, line: openingLine, message: "the comment opened with /* is never closed")
    }

    /// The offset of the newline that ends the line holding `start` (or the end of the text); the newline is left
    /// for the caller so that line counting stays in one place.
    private static func endOfLine(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count && bytes[index] != ASCII.newline { index += 1 }
        return index
    }

    /// `--` starts a comment only when followed by whitespace, a control character or the end of the text
    /// (`a--1` is `a - -1`).
    private static func isDashDashComment(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + 1 < bytes.count, bytes[index + 1] == ASCII.dash else { return false }
        guard index + 2 < bytes.count else { return true }
        return bytes[index + 2] <= ASCII.space
    }

    /// `/*!` and `/*M!` comments are run by MariaDB: they are SQL, not comments.
    private static func isExecutableComment(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + 2 < bytes.count else { return false }
        if bytes[index + 2] == ASCII.exclamation { return true }
        return index + 3 < bytes.count && bytes[index + 2] == ASCII.capitalM && bytes[index + 3] == ASCII.exclamation
    }

    /// True when the statement's first word is `DELIMITER`.
    private static func isDelimiterCommand(_ text: String) -> Bool {
        let keyword = "delimiter"
        let firstWord = text.prefix { !$0.isWhitespace }
        return firstWord.lowercased() == keyword
    }

    /// The bytes the splitter looks at.
    private enum ASCII {
        static let tab = UInt8(ascii: "\t")
        static let newline = UInt8(ascii: "\n")
        static let verticalTab: UInt8 = 0x0B
        static let formFeed: UInt8 = 0x0C
        static let carriageReturn = UInt8(ascii: "\r")
        static let space = UInt8(ascii: " ")
        static let exclamation = UInt8(ascii: "!")
        static let doubleQuote = UInt8(ascii: "\"")
        static let hash = UInt8(ascii: "#")
        static let singleQuote = UInt8(ascii: "'")
        static let star = UInt8(ascii: "*")
        static let dash = UInt8(ascii: "-")
        static let slash = UInt8(ascii: "/")
        static let semicolon = UInt8(ascii: ";")
        static let capitalM = UInt8(ascii: "M")
        static let backslash = UInt8(ascii: "\\")
        static let backtick = UInt8(ascii: "`")
    }
}
