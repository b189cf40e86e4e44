import ComputeMetrics
import DiffusionRules
import TabularIO

/// Screens a validated file under one regime, in file order, handing each result to `emit`.
///
/// ```swift
/// try ScreeningRun.screen(file, regime: compiled, snapshot: .empty) { result in
///     writer.write(result.determination)
/// }
/// ```
public enum ScreeningRun {
    public static func screen(_ file: TransactionFile, regime: CompiledRegime, snapshot: CapSnapshot,
                              emit: (ScreeningResult) throws -> Void) rethrows {
        let screener = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: snapshot)
        for transaction in file.transactions {
            try emit(screener.evaluate(transaction))
        }
    }

    /// The determination as the one-line JSON object of the `jsonl` format.
    public static func jsonLine(_ determination: Determination) -> String {
        var json = JSONText()
        json.determination(determination)
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
