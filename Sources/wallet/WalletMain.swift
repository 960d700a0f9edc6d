import ArgumentParser
import Foundation
import WalletCLI

/// Runs `wallet` and maps every outcome to the documented exit statuses: 0 success, 1 failure, 2 usage error.
@main
enum WalletMain {
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try WalletCommand.parseAsRoot()
        } catch {
            let code = WalletCommand.exitCode(for: error)
            if code == .success {
                print(WalletCommand.fullMessage(for: error))
                exit(ExitStatus.success)
            }
            FileHandle.standardError.write(Data((WalletCommand.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.usage)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
            exit(ExitStatus.success)
        } catch {
            // ArgumentParser's own outcomes (help, validation errors, explicit exit codes) keep their meaning;
            // validation failures become the documented usage status; anything else is a failure.
            let code = WalletCommand.exitCode(for: error)
            if code == .success {
                print(WalletCommand.fullMessage(for: error))
                exit(ExitStatus.success)
            }
            FileHandle.standardError.write(Data("error: \(WalletCommand.message(for: error))\n".utf8))
            exit(code == .validationFailure ? ExitStatus.usage : code.rawValue)
        }
    }
}
