import ComputeMetrics
import DiffusionRules
import PartyScreening
import TabularIO

/// Screens a validated file under one regime, in file order, handing each result to `emit`.
///
/// ```swift
/// try ScreeningRun.screen(file, regime: compiled, snapshot: .empty) { result in
///     writer.write(result.determination)
/// }
/// ```
public enum ScreeningRun {
    ///
    /// `partyStage` (part 744: end uses, restricted parties, the Affiliates Rule) runs on each row
    /// after the chip rules; what it makes unavailable is given back to the screener, so later rows
    /// see the balances the final outcomes left.
    public static func screen(_ file: TransactionFile, regime: CompiledRegime, snapshot: CapSnapshot,
                              partyStage: PartyStage? = nil, emit: (ScreeningResult) throws -> Void) rethrows {
        let screener = Screener(regime: regime, items: file.items, parties: file.parties, snapshot: snapshot)
        guard let partyStage else {
            for transaction in file.transactions { try emit(screener.evaluate(transaction)) }
            return
        }
        for (row, transaction) in file.transactions.enumerated() {
            var result = screener.evaluate(transaction)
            let withdrawal = partyStage.apply(&result, transaction, roles: file.rowParties?[row] ?? .none, names: file.parties)
            if !withdrawal.isEmpty {
                screener.withdraw(withdrawal.debits, installedBase: withdrawal.installedBase, for: transaction)
            }
            try emit(result)
        }
    }

    /// The determination as the one-line JSON object of the `jsonl` format.
    public static func jsonLine(_ determination: Determination) -> String {
        var json = JSONText()
        json.determination(determination)
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
