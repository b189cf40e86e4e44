import ComputeMetrics
import DiffusionRules
import Foundation

/// A derived copy of what `classify chip` reads from the bundled rule data (the layers'
/// classification prongs and dates, the regimes' layer lists, the H100-equivalent, the chip
/// catalog and its aliases), in a line format that loads without YAML or `Codable`: decoding the
/// YAML through `Codable` was most of the command's cold start.
///
/// The YAML and CSV files stay the source of truth. The snapshot records a digest of the exact bytes
/// it was made from (every file it covers, by name); ``load()`` uses it only when the bundled files
/// still have that digest, and otherwise the loader reads the YAML. A test rebuilds the snapshot from
/// the YAML and compares it with the bundled one (`scripts/regenerate-snapshot.sh` writes it).
///
/// Format: one record a line, fields separated by tabs, `~` for an absent value; text escaped
/// (`\\`, `\t`, `\n`, `\r`; `\e` an empty text, `\z` an empty list); lists joined by `\u{1F}`;
/// numbers as Swift prints them (exact round trip); TPP in thousandths.
public enum ClassificationSnapshot {
    public static let relativePath = "derived/classification.snapshot"

    /// The files the snapshot covers, relative to the bundled resources, sorted.
    static func sources() -> [String] {
        BundledFiles.list("layers", suffix: ".yaml").map { "layers/" + $0 }
            + BundledFiles.list("regimes", suffix: ".yaml").map { "regimes/" + $0 }
            + ["units.yaml", "chips/epoch-catalog.csv", "chips/supplement.yaml", "chips/aliases.yaml"]
    }

    /// FNV-1a (64-bit) of every source file's name and bytes: any edited, added or removed file
    /// changes it.
    static func digest() -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0) &* 0x0000_0100_0000_01B3
        }
        for name in sources() {
            var name = name
            name.withUTF8 { mix(UnsafeRawBufferPointer($0)) }
            guard let data = FileManager.default.contents(atPath: BundledFiles.path(name)) else { return "missing \(name)" }
            data.withUnsafeBytes { mix($0) }
        }
        return String(hash, radix: 16)
    }

    // MARK: - Writing

    /// The snapshot of a classification rule book (``RuleBookLoader/loadForClassification()`` read
    /// from the YAML).
    public static func render(_ book: RuleBook) -> String {
        var lines = ["digest\t" + digest(), "units\t\(book.h100.tppPerH100.milli)"]
        for id in book.regimes.keys.sorted() {
            let regime = book.regimes[id]!
            lines.append((["regime", escape(regime.id), escape(regime.title)]
                          + regime.layers.map { escape($0.layer) + ":" + ($0.asWritten.map { $0 ? "1" : "0" } ?? "~") }).joined(separator: "\t"))
        }
        for id in book.layers.keys.sorted() {
            let layer = book.layers[id]!
            lines.append(["layer", escape(layer.id), escape(layer.title), escape(layer.citation), layer.effectiveFrom.description,
                          day(layer.complianceFrom), day(layer.enforcedUntil), day(layer.supersededOn),
                          layer.classification?.mode.rawValue ?? "~"].joined(separator: "\t"))
            for prong in layer.classification?.prongs ?? [] {
                lines.append(["prong", escape(prong.id), escape(prong.eccn), prong.appliesTo.rawValue,
                              prong.kinds.map { list($0) } ?? "~", range(prong.tpp), range(prong.performanceDensity),
                              range(prong.interconnectBandwidth), range(prong.dramBandwidth), range(prong.memoryBandwidthDensity),
                              escape(prong.citation), escape(prong.source), prong.confidence.rawValue,
                              optional(prong.nonDatacenterNote), optional(prong.assumption)].joined(separator: "\t"))
            }
        }
        for chip in book.catalog.chips {
            lines.append(["chip", escape(chip.name), optional(chip.manufacturer), chip.kind.rawValue, chip.tpp.map { "\($0.milli)" } ?? "~",
                          number(chip.dieAreaMM2), chip.datacenter.map { $0 ? "1" : "0" } ?? "~", number(chip.interconnectGBps),
                          number(chip.dramBandwidthGBps), number(chip.memoryBandwidthDensity), optional(chip.releaseDate),
                          list(chip.sources.keys.sorted().flatMap { [$0, chip.sources[$0]!] }), list(chip.warnings)].joined(separator: "\t"))
        }
        for alias in book.catalog.aliases.keys.sorted() {
            lines.append(["alias", escape(alias), escape(book.catalog.aliases[alias]!)].joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{1F}": out += "\\u"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out.isEmpty ? "\\e" : (out == "~" ? "\\~" : out)
    }

    private static func optional(_ text: String?) -> String { text.map(escape) ?? "~" }
    private static func day(_ value: Day?) -> String { value?.description ?? "~" }
    private static func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "~" }
    private static func list(_ items: [String]) -> String { items.isEmpty ? "\\z" : items.map(escape).joined(separator: "\u{1F}") }

    private static func range(_ value: ThresholdRange?) -> String {
        guard let value else { return "~" }
        return [value.min, value.above, value.below, value.max].map { $0.map { "\($0)" } ?? "" }.joined(separator: "|")
    }

    // MARK: - Reading

    /// The classification rule book from the bundled snapshot, or nil when there is none or it was
    /// not made from the bundled files as they are now (then read the YAML).
    public static func load() -> RuleBook? {
        guard let text = try? String(contentsOfFile: BundledFiles.path(relativePath), encoding: .utf8) else { return nil }
        return load(text: text)
    }

    /// A snapshot's rule book, or nil when `text` is not a snapshot of the bundled files as they are.
    public static func load(text: String) -> RuleBook? {
        var text = text
        return text.withUTF8 { bytes -> RuleBook? in
            // Lines and tab-separated fields, split on bytes (tabs and line feeds are escaped in fields).
            var lines: [[String]] = []
            var fields: [String] = []
            var start = 0
            for i in 0..<bytes.count where bytes[i] == 0x09 || bytes[i] == 0x0A {
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                start = i + 1
                if bytes[i] == 0x0A {
                    lines.append(fields)
                    fields = []
                }
            }
            guard let first = lines.first, first == ["digest", digest()] else { return nil }
            return try? parse(lines.dropFirst())
        }
    }

    private struct Malformed: Error {}

    static func parse(_ lines: ArraySlice<[String]>) throws -> RuleBook {
        var h100: TPP?
        var regimes: [String: RegimeDefinition] = [:]
        var layers: [String: RuleLayer] = [:]
        var currentLayer: String?
        var chips: [ChipSpec] = []
        var aliases: [String: String] = [:]
        for f in lines {
            switch f[0] {
            case "units":
                guard f.count == 2, let milli = Int64(f[1]) else { throw Malformed() }
                h100 = TPP(milli: milli)
            case "regime":
                guard f.count >= 3 else { throw Malformed() }
                let refs = try f[3...].map { ref -> RegimeLayer in
                    guard let colon = ref.lastIndex(of: ":") else { throw Malformed() }
                    let flag = ref[ref.index(after: colon)...]
                    return RegimeLayer(layer: unescape(String(ref[..<colon])), asWritten: flag == "~" ? nil : flag == "1")
                }
                let id = unescape(f[1])
                regimes[id] = RegimeDefinition(id: id, title: unescape(f[2]), layers: refs)
            case "layer":
                guard f.count == 9, let effective = Day(f[4]) else { throw Malformed() }
                let id = unescape(f[1])
                var layer = RuleLayer(id: id, title: unescape(f[2]), citation: unescape(f[3]), effectiveFrom: effective,
                                      complianceFrom: Day(f[5]), enforcedUntil: Day(f[6]), supersededOn: Day(f[7]))
                if f[8] != "~" {
                    guard let mode = MergeMode(rawValue: f[8]) else { throw Malformed() }
                    layer.classification = ClassificationBlock(mode: mode, prongs: [])
                }
                layers[id] = layer
                currentLayer = id
            case "prong":
                guard f.count == 15, let layer = currentLayer, let applies = ClassificationProng.Applicability(rawValue: f[3]),
                      let confidence = Confidence(rawValue: f[12]) else { throw Malformed() }
                let prong = ClassificationProng(
                    id: unescape(f[1]), eccn: unescape(f[2]), appliesTo: applies, kinds: f[4] == "~" ? nil : splitList(f[4]),
                    tpp: try range(f[5]), performanceDensity: try range(f[6]), interconnectBandwidth: try range(f[7]),
                    dramBandwidth: try range(f[8]), memoryBandwidthDensity: try range(f[9]), citation: unescape(f[10]),
                    source: unescape(f[11]), confidence: confidence, nonDatacenterNote: optional(f[13]), assumption: optional(f[14]))
                layers[layer]?.classification?.prongs.append(prong)
            case "chip":
                guard f.count == 13, let kind = ItemKind(rawValue: f[3]) else { throw Malformed() }
                let pairs = splitList(f[11])
                guard pairs.count % 2 == 0 else { throw Malformed() }
                var sources: [String: String] = [:]
                for i in stride(from: 0, to: pairs.count, by: 2) { sources[pairs[i]] = pairs[i + 1] }
                let tpp: TPP? = f[4] == "~" ? nil : Int64(f[4]).map { TPP(milli: $0) }
                let datacenter: Bool? = f[6] == "~" ? nil : f[6] == "1"
                let dieArea = try number(f[5]), interconnect = try number(f[7]), dram = try number(f[8]), density = try number(f[9])
                var chip = ChipSpec(name: unescape(f[1]), manufacturer: optional(f[2]), kind: kind, tpp: tpp, dieAreaMM2: dieArea,
                                    datacenter: datacenter, interconnectGBps: interconnect, dramBandwidthGBps: dram,
                                    memoryBandwidthDensity: density, releaseDate: optional(f[10]), sources: sources)
                chip.warnings = splitList(f[12])
                chips.append(chip)
            case "alias":
                guard f.count == 3 else { throw Malformed() }
                aliases[unescape(f[1])] = unescape(f[2])
            default:
                throw Malformed()
            }
        }
        guard let h100 else { throw Malformed() }
        return RuleBook(layers: layers, regimes: regimes, groups: CountryGroupTable.empty, registry: CountryRegistry(countries: []),
                        catalog: ChipCatalog(chips: chips, aliases: aliases), h100: H100Equivalence(tppPerH100: h100), treatedAs: [:])
    }

    private static func unescape(_ text: String) -> String {
        guard text.utf8.contains(0x5C) else { return text }
        if text == "\\e" { return "" }
        var out = ""
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                switch scalar {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                case "u": out += "\u{1F}"
                default: out.unicodeScalars.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func optional(_ text: String) -> String? { text == "~" ? nil : unescape(text) }

    private static func splitList(_ text: String) -> [String] {
        if text == "\\z" { return [] }
        guard text.utf8.contains(0x1F) else { return [unescape(text)] }
        return text.utf8.split(separator: 0x1F, omittingEmptySubsequences: false).map { unescape(String(decoding: $0, as: UTF8.self)) }
    }

    private static func number(_ text: String) throws -> Double? {
        if text == "~" { return nil }
        guard let value = Double(text) else { throw Malformed() }
        return value
    }

    private static func range(_ text: String) throws -> ThresholdRange? {
        if text == "~" { return nil }
        let parts = text.utf8.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw Malformed() }
        let values = try parts.map { part -> Double? in
            if part.isEmpty { return nil }
            guard let value = Double(String(decoding: part, as: UTF8.self)) else { throw Malformed() }
            return value
        }
        return ThresholdRange(min: values[0], above: values[1], below: values[2], max: values[3])
    }
}
