/// One statement of a migration file, as the splitter found it.
public struct SQLStatement: Sendable, Hashable {
    /// The statement's text, from its first token to its last, without the terminating `;`.
    ///
    /// Comments between tokens are kept (MariaDB's executable comments `/*! … */` are SQL); comments before the first
    /// token are not.
    public let text: String
    /// The 1-based line of the file on which the statement starts.
    public let line: Int

    /// A statement starting on `line`.
    public init(text: String, line: Int) {
        self.text = text
        self.line = line
    }
}
