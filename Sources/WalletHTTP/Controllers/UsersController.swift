import Foundation
public import Hummingbird
public import WalletCore

/// `POST /v1/users`: registration.
public struct UsersController: Sendable {
    /// The shortest password, in characters (Unicode code points, as JSON Schema's `minLength` counts them).
    public static let minimumPasswordCharacters = 8
    /// The longest password, in bytes of UTF-8 (bcrypt reads at most 72).
    public static let maximumPasswordBytes = 72

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
        if let password, password.unicodeScalars.count < Self.minimumPasswordCharacters || password.utf8.count > Self.maximumPasswordBytes {
            fields.invalid(
                "password",
                "must be at least \(Self.minimumPasswordCharacters) characters and at most \(Self.maximumPasswordBytes) bytes of UTF-8 long"
            )
        }
        try fields.finish()
        guard let address, let password else { throw Problem.invalidRequest(fields.invalidParameters) }
        let hash = try await hasher.hash(password)
        let user = try await users.create(email: address, passwordHash: hash)
        return JSONResponse.make(.created) { $0.user(user) }
    }
}
