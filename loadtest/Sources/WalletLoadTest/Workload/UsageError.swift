/// A flag value that makes no sense: the run stops before it starts, with this message and exit status 2.
public struct UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, for the person who typed the command.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
