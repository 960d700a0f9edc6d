import Foundation

extension String {
    /// A database URL with its password replaced by `***`, for messages.
    var redactingPassword: String {
        guard let scheme = range(of: "://"), let at = self[scheme.upperBound...].firstIndex(of: "@"),
            let colon = self[scheme.upperBound..<at].firstIndex(of: ":")
        else { return self }
        return String(self[..<index(after: colon)]) + "***" + String(self[at...])
    }
}
