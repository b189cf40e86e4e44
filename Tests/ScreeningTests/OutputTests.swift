import DiffusionRules
import Screening
import TabularIO
import Testing

@Suite("Output formats")
struct OutputTests {
    /// 10,000 synthetic rows: several 4,096-row batches, the last one partial.
    func determinations() throws -> [Determination] {
        let bytes = SyntheticTransactions.csv(rows: 10_000, seed: 7)
        let file = try TransactionReader.read(reader: CSVRecordReader(bytes: bytes, displayName: "synthetic.csv"), book: book)
        var out: [Determination] = []
        ScreeningRun.screen(file, regime: try book.compile(regime: "ai-diffusion-2025"), snapshot: .empty) { out.append($0.determination) }
        return out
    }

    @Test("Formatting on other threads gives the same bytes as formatting row by row", arguments: [OutputFormat.jsonl, .json, .csv])
    func parallelEqualsSerial(format: OutputFormat) throws {
        let rows = try determinations()
        let serialSink = ByteSink.memory(), parallelSink = ByteSink.memory()
        let serial = makeDeterminationWriter(format, sink: serialSink)
        let parallel = ParallelOutput(format: format, sink: parallelSink)
        for row in rows {
            serial.write(row)
            parallel.write(row)
        }
        serial.finish()
        parallel.finish()
        #expect(parallelSink.text == serialSink.text)
        #expect(serialSink.text.count > 1_000_000)
    }

    @Test("An empty run is a valid JSON array")
    func emptyJSON() {
        let sink = ByteSink.memory()
        ParallelOutput(format: .json, sink: sink).finish()
        #expect(sink.text == "[]\n")
    }
}
