import Foundation
import Testing

@testable import WalletCore

@Suite("Users and sessions against MariaDB")
struct UserAndSessionTests {
    @Test func usersAreStoredLowerCasedAndFoundByEmail() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.service.users.create(email: EmailAddress("Alice@Example.COM")!, passwordHash: "hash-1")
            #expect(user.email.normalized == "alice@example.com")
            #expect(user.id.rawValue.hasPrefix("usr_"))
            let found = try #require(try await context.service.users.credentials(for: EmailAddress("ALICE@example.com")!))
            #expect(found.user == user)
            #expect(found.passwordHash == "hash-1")
            #expect(try await context.service.users.credentials(for: EmailAddress("bob@example.com")!) == nil)
        }
    }

    @Test func anEmailIsTakenWhateverItsCase() async throws {
        try await WalletTestContext.run { context in
            _ = try await context.service.users.create(email: EmailAddress("carol@example.com")!, passwordHash: "hash")
            await #expect {
                try await context.service.users.create(email: EmailAddress("CAROL@example.com")!, passwordHash: "other")
            } throws: { error in
                guard case WalletError.emailTaken = error else { return false }
                return true
            }
            #expect(try await context.count("users") == 1)
        }
    }

    @Test func sessionsWorkUntilTheyExpireOrAreDeleted() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let sessions = context.service.sessions
            let now = Date()
            let session = try await sessions.create(tokenHash: "hash-a", userID: user.id, expiresAt: now.addingTimeInterval(3600), now: now)
            #expect(try await sessions.find(tokenHash: "hash-a", now: now) == session)
            #expect(try await sessions.find(tokenHash: "hash-a", now: now.addingTimeInterval(3599)) == session)
            #expect(try await sessions.find(tokenHash: "hash-a", now: now.addingTimeInterval(3600)) == nil)
            #expect(try await sessions.find(tokenHash: "hash-b", now: now) == nil)
            try await sessions.delete(tokenHash: "hash-a")
            #expect(try await sessions.find(tokenHash: "hash-a", now: now) == nil)
            try await sessions.delete(tokenHash: "hash-a")
        }
    }

    @Test func expiredSessionsArePurged() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let sessions = context.service.sessions
            let now = Date()
            for index in 0..<5 {
                _ = try await sessions.create(tokenHash: "old-\(index)", userID: user.id, expiresAt: now.addingTimeInterval(-1), now: now)
            }
            _ = try await sessions.create(tokenHash: "live", userID: user.id, expiresAt: now.addingTimeInterval(60), now: now)
            #expect(try await sessions.purgeExpired(now: now) == 5)
            #expect(try await context.count("sessions") == 1)
            #expect(try await sessions.find(tokenHash: "live", now: now) != nil)
        }
    }
}
