/// The exit statuses of every `wallet` command.
public enum ExitStatus {
    /// The command did what it was asked.
    public static let success: Int32 = 0
    /// The command could not do it: the database, a migration, the server.
    public static let failure: Int32 = 1
    /// The command line itself was wrong.
    public static let usage: Int32 = 2
}

/// A failure already explained to the user; the command exits with ``ExitStatus/failure`` and no stack trace.
public struct CommandFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
