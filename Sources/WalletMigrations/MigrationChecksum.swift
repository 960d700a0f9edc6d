import Crypto

/// The checksum recorded for an applied migration: the lower-case hex SHA-256 of its up file's bytes.
public enum MigrationChecksum {
    /// The length of a checksum in hex digits (the width of `schema_migrations.checksum`).
    public static let hexLength = 64

    /// The hex SHA-256 of `bytes`.
    public static func of(_ bytes: some Sequence<UInt8>) -> String {
        let digest = SHA256.hash(data: Array(bytes))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(hexLength)
        for byte in digest {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
