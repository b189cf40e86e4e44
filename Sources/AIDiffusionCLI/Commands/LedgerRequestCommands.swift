import AllocationLedger
import ArgumentParser
import ComputeMetrics
import DiffusionRules
import Foundation
import Screening
import TabularIO

/// Cap limits from a regime (default the framework as written: `ai-diffusion-2025`).
struct CapRegimeOption: ParsableArguments {
    @Option(name: .long, help: "Regime whose rule pack gives the cap limits (default ai-diffusion-2025).")
    var regime: String = "ai-diffusion-2025"

    func lookup() throws -> CapLimitLookup { try Self.lookup(regime) }

    static func lookup(_ regime: String) throws -> CapLimitLookup {
        var context = try RuleContext.load()
        let compiled = try context.compile(regime)
        return { compiled.capLimit(for: $0, on: $1) }
    }
}

/// Reads a debits file: `key,cap,tpp[,date]`; consecutive rows with the same key form one
/// all-or-none request over several caps.
enum DebitFile {
    static func read(path: String, defaultDate: Day) throws -> [DebitRequest] {
        let table = try CSVTable(reader: CSVRecordReader(path: path), required: ["key", "cap", "tpp"], optional: ["date"])
        let key = table.column("key")!, cap = table.column("cap")!, tpp = table.column("tpp")!
        let date = table.column("date")
        var requests: [DebitRequest] = []
        while let record = try table.next() {
            let id = record.string(at: key).trimmingASCIIWhitespace()
            if id.isEmpty { throw table.error(record, column: key, message: "is empty; every debit needs an idempotency key") }
            let name = record.string(at: cap).trimmingASCIIWhitespace()
            guard let capKey = CapKey(name: name) else {
                throw table.error(record, column: cap, message: "is not a cap name (lpp/<parent>/<year>, country_allocation/<CC>, nveu/<holder>/<CC>)")
            }
            guard let amount = TPP(parsing: Substring(record.string(at: tpp).trimmingASCIIWhitespace())), amount.milli > 0 else {
                throw table.error(record, column: tpp, message: "must be a positive number of TPP")
            }
            var day = defaultDate
            if let date, !record.isEmpty(at: date) {
                guard let parsed = Day(record.string(at: date).trimmingASCIIWhitespace()) else {
                    throw table.error(record, column: date, message: "is not a date in YYYY-MM-DD form")
                }
                day = parsed
            }
            if requests.last?.key == id {
                if requests[requests.count - 1].debits.contains(where: { $0.cap == capKey }) {
                    throw table.error(record, column: cap, message: "appears twice in request \(id)")
                }
                requests[requests.count - 1].debits.append(Debit(cap: capKey, tpp: amount))
            } else {
                requests.append(DebitRequest(key: id, debits: [Debit(cap: capKey, tpp: amount)], date: day))
            }
        }
        if requests.isEmpty { throw CSVInputError(file: path, line: 2, message: "has a header but no rows") }
        return requests
    }
}

/// `ledger debit FILE.csv`: direct, idempotent, all-or-none debits.
struct LedgerDebitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debit",
        abstract: "Debit caps from a file (key,cap,tpp[,date]); rows sharing a key are one all-or-none request.",
        discussion: """
        Each request is granted whole or refused whole; a key seen before returns its first result and \
        debits nothing. A refusal is a result (exit 0). --batch N commits N requests per transaction.
        """)
    @Argument(help: "Debits CSV: key,cap,tpp[,date].") var file: String
    @Option(name: .long, help: "Requests per transaction.") var batch: Int = 1000
    @OptionGroup var regimeOption: CapRegimeOption
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var ledgerOption: LedgerOption
    @OptionGroup var formatOption: FormatOption

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
    }

    func run() throws {
        let requests = try DebitFile.read(path: file, defaultDate: try asOf.day())
        let limits = try regimeOption.lookup()
        let ledger = try ledgerOption.open(create: true)
        let sink = ByteSink.standardOutput()
        if formatOption.format == .csv { sink.write("key,granted,reason,seq,replayed\n") }
        var granted = 0, refused = 0, replayed = 0
        var start = 0
        while start < requests.count {
            let slice = Array(requests[start..<min(start + batch, requests.count)])
            for result in try ledger.debit(slice, at: LedgerClock.now, limits: limits) {
                if result.replayed { replayed += 1 } else if result.granted { granted += 1 } else { refused += 1 }
                switch formatOption.format {
                case .csv:
                    sink.write([result.key, String(result.granted), result.reason ?? "", String(result.sequence), String(result.replayed)].map(csvField).joined(separator: ",") + "\n")
                case .json, .jsonl, .table:
                    sink.write("{\"key\":\(JSONEscaping.quoted(result.key)),\"granted\":\(result.granted),\"reason\":\(result.reason.map(JSONEscaping.quoted) ?? "null"),\"seq\":\(result.sequence),\"replayed\":\(result.replayed)}\n")
                }
            }
            sink.flush()   // each printed result is committed
            start += batch
        }
        sink.flush()
        printError("\(requests.count) requests: \(granted) granted, \(refused) refused, \(replayed) already recorded (first result returned)")
    }
}

/// `ledger reserve ID --cap C --tpp N ... --expires T`.
struct LedgerReserveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reserve",
        abstract: "Reserve allocation for a licence application until it is granted, denied or expires.",
        discussion: "Example: ai-diffusion ledger reserve APP-17 --cap country_allocation/IN --tpp 15832000 --expires 2026-12-31")
    @Argument(help: "Application id (idempotency key).") var id: String
    @Option(name: .long, help: "Cap to reserve from (repeat for an all-or-none reservation over several caps).") var cap: [String] = []
    @Option(name: .long, help: "TPP to reserve, one per --cap.") var tpp: [String] = []
    @Option(name: .long, help: ArgumentHelp("When the reservation lapses: YYYY-MM-DD (00:00 UTC) or YYYY-MM-DDTHH:MM:SSZ.", valueName: "time"))
    var expires: String
    @OptionGroup var regimeOption: CapRegimeOption
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var ledgerOption: LedgerOption

    func validate() throws {
        if cap.isEmpty || cap.count != tpp.count { throw ValidationError("give one --tpp for each --cap (at least one)") }
    }

    func run() throws {
        guard let expiry = LedgerClock.normalize(expires) else {
            throw InputError("--expires \"\(expires)\" is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
        }
        var debits: [Debit] = []
        for (name, amount) in zip(cap, tpp) {
            guard let key = CapKey(name: name) else { throw InputError("--cap \"\(name)\" is not a cap name (lpp/<parent>/<year>, country_allocation/<CC>, nveu/<holder>/<CC>)") }
            guard let value = TPP(parsing: Substring(amount)), value.milli > 0 else { throw InputError("--tpp \"\(amount)\" must be a positive number") }
            debits.append(Debit(cap: key, tpp: value))
        }
        let ledger = try ledgerOption.open(create: true)
        let result = try ledger.reserve(ReservationRequest(id: id, debits: debits, date: try asOf.day(), expiresAt: expiry),
                                        at: LedgerClock.now, limits: try regimeOption.lookup())
        let again = result.replayed ? " (already recorded: first result)" : ""
        if result.granted {
            print("reserved \(id) until \(expiry): \(debits.map { "\($0.tpp) TPP of \($0.cap.name)" }.joined(separator: ", ")) (event \(result.sequence))\(again)")
        } else {
            print("refused \(id): \(result.reason ?? "") (event \(result.sequence))\(again)")
        }
    }
}

/// `ledger grant ID`: a granted licence confirms its reservation.
struct LedgerGrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Confirm a reservation: its TPP moves from reserved to confirmed.")
    @Argument(help: "Application id.") var id: String
    @OptionGroup var ledgerOption: LedgerOption

    func run() throws {
        let (reservation, replayed) = try ledgerOption.open(create: false).grant(reservation: id, at: LedgerClock.now)
        print("granted \(id): \(reservation.debits.map { "\($0.tpp) TPP of \($0.cap.name)" }.joined(separator: ", ")) confirmed (event \(reservation.closedAt ?? 0))\(replayed ? " (already granted)" : "")")
    }
}

/// `ledger deny ID`: a denied licence releases its reservation.
struct LedgerDenyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deny", abstract: "Release a reservation (licence denied).")
    @Argument(help: "Application id.") var id: String
    @OptionGroup var ledgerOption: LedgerOption

    func run() throws {
        let (reservation, replayed) = try ledgerOption.open(create: false).deny(reservation: id, at: LedgerClock.now)
        print("denied \(id): \(reservation.debits.map { "\($0.tpp) TPP of \($0.cap.name)" }.joined(separator: ", ")) released (event \(reservation.closedAt ?? 0))\(replayed ? " (already denied)" : "")")
    }
}

/// `ledger expire`: release reservations past their expiry (every write does this too).
struct LedgerExpireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "expire", abstract: "Release every reservation whose expiry has passed (each write also does this first).")
    @OptionGroup var ledgerOption: LedgerOption

    func run() throws {
        let count = try ledgerOption.open(create: false).expire(at: LedgerClock.now)
        print("expired \(count) reservation(s)")
    }
}
