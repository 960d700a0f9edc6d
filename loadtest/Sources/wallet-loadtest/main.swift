import Foundation
import WalletLoadTest

exit(await LoadTestMain.run(Array(CommandLine.arguments.dropFirst())))
