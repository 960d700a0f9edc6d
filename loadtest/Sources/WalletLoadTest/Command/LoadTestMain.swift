import ArgumentParser
import Foundation

/// The entry point of `wallet-loadtest`, with the documented exit statuses: 0 passed, 1 verification failed or the
/// run could not complete, 2 usage error (ArgumentParser's own usage status is 64).
public enum LoadTestMain {
    /// The exit status of a usage error.
    public static let usageErrorStatus: Int32 = 2

    /// Parses `arguments` (without the program name), runs, and returns the exit status.
    public static func run(_ arguments: [String]) async -> Int32 {
        let command: WalletLoadTestCommand
        do {
            command = try WalletLoadTestCommand.parse(arguments)
        } catch {
            let status = WalletLoadTestCommand.exitCode(for: error)
            let message = WalletLoadTestCommand.fullMessage(for: error)
            if status == .success {
                print(message)
                return 0
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            return usageErrorStatus
        }
        do {
            try await command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            FileHandle.standardError.write(Data("wallet-loadtest: \(error)\n".utf8))
            return ExitCode.failure.rawValue
        }
    }
}
