import Foundation
public import Hummingbird
public import WalletCore

/// `POST /v1/users`: registration.
public struct UsersController: Sendable {
    /// Password length limits, in bytes of UTF-8 (bcrypt reads at most 72).
    public static let passwordBytes: ClosedRange<Int> = 8...72

    let users: UserStore
    let hasher: PasswordHasher

    public init(users: UserStore, hasher: PasswordHasher) {
        self.users = users
        self.hasher = hasher
    }

    public func addRoutes(to router: Router<WalletRequestContext>, table: RouteTable) {
        router.post("/v1/users") { request, context in try await create(request, context: context) }
        table.add(.post, "/v1/users")
    }

    func create(_ request: Request, context: WalletRequestContext) async throws -> Response {
        var fields = FieldReader(try await JSONBody.read(request, context: context), allowed: ["email", "password"])
        let email = fields.string("email")
        let password = fields.string("password")
        var address: EmailAddress?
        if let email {
            address = EmailAddress(email)
            if address == nil { fields.invalid("email", "must be an email address (at most \(EmailAddress.maximumLength) characters)") }
        }
        if let password, !Self.passwordBytes.contains(password.utf8.count) {
            fields.invalid("password", "must be \(Self.passwordBytes.lowerBound) to \(Self.passwordBytes.upperBound) bytes long")
        }
        try fields.finish()
        guard let address, let password else { throw Problem.invalidRequest(fields.invalidParameters) }
        let hash = try await hasher.hash(password)
        let user = try await users.create(email: address, passwordHash: hash)
        return JSONResponse.make(.created) { $0.user(user) }
    }
}
