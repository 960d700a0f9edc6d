#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs a program to completion, with its output captured to a file, and reaps it with `waitpid`.
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

    /// How often a running child is polled.
    static let pollInterval: useconds_t = 10_000

    /// Runs `executable` with `arguments` and `environment` (the current one when nil), killing it after
    /// `timeoutSeconds`.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        timeoutSeconds: Double
    ) throws -> Outcome {
        let outputPath = NSTemporaryDirectory() + "child-\(UUID().uuidString).log"
        defer { unlink(outputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environmentStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = environmentStrings.map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw ChildProcessError(executable: executable, reason: String(cString: strerror(spawned)))
        }

        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var status: Int32 = 0
        var timedOut = false
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR {
                throw ChildProcessError(executable: executable, reason: String(cString: strerror(errno)))
            }
            if !timedOut, Date() >= deadline {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(pollInterval)
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exitStatus, output: output, timedOut: timedOut)
    }
}

/// A program could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let executable: String
    public let reason: String
    public var description: String { "could not run \(executable): \(reason)" }
}
