#if canImport(Glibc)
import Glibc
#endif
public import Foundation

/// A program running in the background for a test (a `wallet serve`), with its output in a file.
///
/// Started with `posix_spawn` and reaped with `waitpid`; killed with SIGKILL if still running when released.
public final class BackgroundProcess: @unchecked Sendable {
    /// How often ``waitForExit(timeoutSeconds:)`` polls.
    static let pollInterval: useconds_t = 10_000

    public let pid: pid_t
    private let outputPath: String
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments` and `environment` (the current one when nil).
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        outputPath = NSTemporaryDirectory() + "background-\(UUID().uuidString).log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw ChildProcessError(executable: executable, reason: String(cString: strerror(spawned)))
        }
        self.pid = pid
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        unlink(outputPath)
    }

    /// Everything the program wrote so far.
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` (SIGTERM by default).
    public func signal(_ signal: Int32 = SIGTERM) {
        kill(pid, signal)
    }

    /// The exit status once the program has ended (128 + signal when a signal ended it), or nil on timeout. Blocks
    /// up to `timeoutSeconds`; with 0 it only looks, without waiting.
    public func waitForExit(timeoutSeconds: Double) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, WNOHANG) == pid {
                let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                exitStatus = code
                return code
            }
            if Date() >= deadline { return nil }
            usleep(Self.pollInterval)
        }
    }
}
