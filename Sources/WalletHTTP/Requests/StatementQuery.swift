import Hummingbird
import WalletCore

/// The query of `GET /v1/wallets/{id}/statement`: the period (`from` inclusive, `to` exclusive, both required, at
/// most ``StatementPeriod/maximumLength`` apart) and the `format`, each at most once, every fault
/// `400 invalid_request` naming it.
struct StatementQuery {
    let period: StatementPeriod
    let format: StatementFormat

    init(_ request: Request) throws(Problem) {
        var query = try QueryParameters(request, allowed: ["from", "to", "format"])
        for name in ["from", "to"] where query.values[name] == nil { query.invalid(name, "is required") }
        let from = query.instant("from", rounding: .up)
        let to = query.instant("to", rounding: .up)
        var format = StatementFormat.json
        if let text = query.values["format"] {
            if let named = StatementFormat(rawValue: text) {
                format = named
            } else {
                query.invalid("format", "must be one of \(StatementFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var period: StatementPeriod?
        if let from, let to {
            do {
                period = try StatementPeriod(from: from, to: to)
            } catch {
                switch error {
                case .empty: query.invalid("to", "must be after from")
                case .tooLong: query.invalid("to", "must be at most \(Int(StatementPeriod.maximumLength / 86_400)) days after from")
                }
            }
        }
        guard let period, query.invalidParameters.isEmpty else { throw Problem.invalidRequest(query.invalidParameters) }
        self.period = period
        self.format = format
    }
}
