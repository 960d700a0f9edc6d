public import MariaDB

/// Why a migration command could not do what it was asked, with enough detail to act on.
///
/// ``description`` is a complete sentence for people; ``code`` is for code that decides what to do.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The migrations folder does not exist or cannot be listed.
        public static let noDirectory = Code("noDirectory")
        /// A file in the migrations folder is malformed: its name, its size, its encoding or its SQL.
        public static let invalidFile = Code("invalidFile")
        /// Two files claim the same version.
        public static let duplicateVersion = Code("duplicateVersion")
        /// An up file without its down file, or the reverse.
        public static let missingCounterpart = Code("missingCounterpart")
        /// More migrations than ``MigrationDirectory/maximumMigrations``.
        public static let tooManyMigrations = Code("tooManyMigrations")
        /// A name given to `new` is not lower-case letters, digits and underscores.
        public static let invalidName = Code("invalidName")
        /// A file that `new` would create already exists.
        public static let fileExists = Code("fileExists")
        /// A migration failed part-way earlier and must be repaired by hand, then forced.
        public static let dirty = Code("dirty")
        /// An applied migration changed or vanished, below the target of `up`.
        public static let validationFailed = Code("validationFailed")
        /// A migration to revert has no files any more.
        public static let missingFile = Code("missingFile")
        /// A statement of a migration failed on the server; the migration is now dirty.
        public static let statementFailed = Code("statementFailed")
        /// A pending migration creates or drops a trigger or function, which this server (binary log or Galera on,
        /// `log_bin_trust_function_creators` off) allows only an account with SUPER; nothing was applied.
        public static let binaryLogPrivilege = Code("binaryLogPrivilege")
        /// Another runner held the migration lock for longer than the lock timeout.
        public static let lockTimeout = Code("lockTimeout")
        /// On a cluster, this runner's lease on the migration lock ended and another runner took it.
        public static let lockLost = Code("lockLost")
        /// `force` was given a version that no file and no applied migration has.
        public static let unknownVersion = Code("unknownVersion")

        /// The code's name.
        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for people.
    public let message: String
    /// The file concerned, when there is one.
    public let file: String?
    /// The versions concerned (the dirty, modified or missing ones; the failed one).
    public let versions: [Int64]
    /// For ``Code/statementFailed``: the 1-based number of the statement that failed.
    public let statementNumber: Int?
    /// For ``Code/statementFailed``: what the server said.
    public let serverError: MariaDBError?

    /// An error of kind `code` explained by `message`.
    public init(
        _ code: Code,
        _ message: String,
        file: String? = nil,
        versions: [Int64] = [],
        statementNumber: Int? = nil,
        serverError: MariaDBError? = nil
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.versions = versions
        self.statementNumber = statementNumber
        self.serverError = serverError
    }

    /// The message.
    public var description: String { message }
}
