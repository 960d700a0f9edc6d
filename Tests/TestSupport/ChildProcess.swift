#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs a program to completion, with its output captured to a file: a ``BackgroundProcess`` waited for.
///
/// Foundation's `Process` on Linux sometimes never notices that a child exited (the child stays a zombie and
/// `isRunning` stays true); this uses `posix_spawn` and `waitpid` directly. It blocks: call it from ``offload(_:)``.
public enum ChildProcess {
    /// What a finished program left behind.
    public struct Outcome: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended it.
        public var status: Int32
        /// Standard output and standard error, interleaved.
        public var output: String
        /// True when the program was killed because it overran its time limit.
        public var timedOut: Bool
    }

    /// How long a child killed for overrunning its limit may take to go.
    static let killGraceSeconds = 10.0
    /// The default limit on one run: a bound against a hung program, not a measure of speed. Under CI's full
    /// parallel load a `wallet migrate up` of every migration has taken over 60 seconds.
    public static let defaultTimeLimitSeconds = 300.0

    /// Runs `executable` with `arguments` and `environment` (the current one when nil), killing it after
    /// `timeoutSeconds`.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        timeoutSeconds: Double = defaultTimeLimitSeconds
    ) throws -> Outcome {
        let process = try BackgroundProcess(executable, arguments, environment: environment)
        if let status = process.waitForExit(timeoutSeconds: timeoutSeconds) {
            return Outcome(status: status, output: process.output, timedOut: false)
        }
        process.signal(SIGKILL)
        let status = process.waitForExit(timeoutSeconds: killGraceSeconds) ?? 128 + SIGKILL
        return Outcome(status: status, output: process.output, timedOut: true)
    }
}

/// A program could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let executable: String
    public let reason: String
    public var description: String { "could not run \(executable): \(reason)" }
}
