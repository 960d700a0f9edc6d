/// A phase could not run (the service or the database cannot be reached, set-up was refused): exit status 1.
public struct RunError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
