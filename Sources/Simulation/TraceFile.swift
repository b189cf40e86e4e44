import DiffusionModel
import Foundation

/// `trace.json` (`simulate --trace-draw N`): one draw replayed with every state variable recorded in
/// every quarter of every scenario, together with everything the numpy reference
/// (`scripts/reference_engine.py`) needs to recompute them independently: the draw's inputs at full
/// precision, the compiled policy per quarter, demand shares, and the screened rule-pack tables.
public enum TraceFile {
    static func x(_ v: Double) -> String { v.isFinite ? String(format: "%.17g", v) : (v.isNaN ? "null" : (v > 0 ? "1e999" : "-1e999")) }
    static func arr(_ a: [Double]) -> String { "[" + a.map(x).joined(separator: ", ") + "]" }
    static func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    public static func render(model: CompiledModel, draw: Int, seed: UInt64) -> String {
        let sim = DrawSimulator(model: model)
        sim.run(draw: draw, seed: seed)
        let params = sim.outcome.parameters, theft = sim.theftUniforms
        sim.traceEnabled = true
        sim.run(parameters: params, theftUniforms: theft)
        let inputs = model.inputs, cal = model.calendar
        var s = "{\n  \"draw\": \(draw),\n  \"seed\": \(seed),\n"
        s += "  \"calendar\": {\"start_year\": \(cal.startYear), \"hindcast_quarters\": \(cal.hindcastQuarters), \"total_quarters\": \(cal.totalQuarters)},\n"
        s += "  \"lag_domains\": \(model.lagDomains.count),\n"
        s += "  \"responses\": {\"domestic_substitution\": \(inputs.responses.domesticSubstitution), \"smuggling\": \(inputs.responses.smugglingResponse), \"efficiency\": \(inputs.responses.efficiencyResponse)},\n"
        s += "  \"parameter_names\": [" + model.sampler.names.map(q).joined(separator: ", ") + "],\n"
        s += "  \"parameters\": \(arr(params)),\n  \"theft_uniforms\": \(arr(theft)),\n"
        s += "  \"deepseek_v3_flop\": \(x(inputs.calibration.deepseek_v3_flop)),\n"
        let shares = inputs.shares
        s += "  \"shares\": {\"initial\": \(arr(shares.vector(shares.initial_stock_share))), \"additions\": \(arr(shares.vector(shares.additions_share_2023_2025))), \"planned\": \(arr(shares.vector(shares.planned_share)))},\n"
        s += "  \"reference_demand\": \(arr(model.referenceDemand)),\n"
        func pack(_ p: PackGrants) -> String {
            "{\"id\": \(q(p.id)), \"demand_levels\": \(arr(p.demandLevels)), \"shares\": \(arr(p.shares)), \"china_regime\": [" + p.chinaRegime.map { q($0.rawValue) }.joined(separator: ", ") + "]}"
        }
        s += "  \"packs\": [" + inputs.packs.map(pack).joined(separator: ", ") + "],\n"
        s += "  \"reference_pack\": " + (inputs.referencePack.map(pack) ?? "null") + ",\n"
        s += "  \"scenarios\": [" + model.scenarioNames.map(q).joined(separator: ", ") + "],\n"
        s += "  \"policy\": [\n" + (0..<model.scenarioCount).map { si in
            "    [" + (0..<cal.totalQuarters).map { qi in
                let p = model.policyState(scenario: si, quarter: qi)
                let pk = p.rulePack.flatMap { id in inputs.packs.firstIndex { $0.id == id } } ?? -1
                return "{\"cn_chip_regime\": \(q(p.cnChipRegime.rawValue)), \"cn_revenue_share\": \(x(p.cnRevenueShare)), \"beijing\": \(p.beijingDiscourages), \"hbm\": \(p.hbmControls), "
                    + "\"enforcement\": \(p.chipEnforcement), \"kyc\": \(p.cloudKYC), \"sl45\": \(p.labSecurity == .sl45), \"hosting\": [\(p.weightHosting.map { "\($0)" }.joined(separator: ", "))], "
                    + "\"publication\": \(x(p.publicationOpenness)), \"visa\": \(x(p.visaRestriction)), \"distillation\": \(q(p.distillation.rawValue)), "
                    + "\"us_release_gap\": \(x(p.usReleaseGap)), \"us_periodic\": \(p.usPeriodicReleases), \"us_gap_multiplier\": \(x(p.usReleaseGapMultiplier)), "
                    + "\"minerals\": [\(p.minerals.map { q($0.rawValue) }.joined(separator: ", "))], \"pack\": \(pk)}"
            }.joined(separator: ",\n     ") + "]"
        }.joined(separator: ",\n") + "\n  ],\n"
        s += "  \"trace_names\": [" + traceNames(lagDomains: model.lagDomains.count).map(q).joined(separator: ", ") + "],\n"
        s += "  \"trace\": [\n" + sim.trace.map { "    " + arr($0) }.joined(separator: ",\n") + "\n  ]\n}\n"
        return s
    }
}
