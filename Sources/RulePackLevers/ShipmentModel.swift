import DiffusionModel
import Foundation
import StrictYAML

/// How demand becomes chip shipments for rule-pack levers (`Resources/shipments.yaml`): destination
/// countries and buyer classes per actor, catalog chips per period, demand levels to screen at.
///
/// ```yaml
/// demand_levels: [0.25, 0.5, 1, 2, 4]
/// chip_ladders: [{from: 2025-01-01, chips: ["B200", "H200", "H20"]}]
/// actors:
///   GULF:
///     destinations: [{country: AE, weight: 0.6}, {country: SA, weight: 0.4}]
///     buyers: [{hq: local, share: 0.4, parents: 3}, {hq: US, share: 0.6, parents: 5, veu: UVEU}]
/// ```
public struct ShipmentModel: Codable, Sendable {
    public struct Ladder: Codable, Sendable { public var from: String; public var chips: [String] }
    public struct ChinaRung: Codable, Sendable { public var chip: String; public var regime: ChinaChipRegime }
    public struct China: Codable, Sendable { public var ladder: [ChinaRung]; public var quantity: Int64 }
    public struct Destination: Codable, Sendable { public var country: String; public var weight: Double }
    /// A buyer class: headquarters (`local` = the destination itself, or a country code), share of
    /// the destination's demand, number of ultimate parents it splits over, VEU status.
    public struct Buyer: Codable, Sendable { public var hq: String; public var share: Double; public var parents: Int; public var veu: String? }
    public struct ActorShipments: Codable, Sendable { public var destinations: [Destination]; public var buyers: [Buyer] }

    public var title: String
    public var source: String
    public var confidence: String
    public var demand_levels: [Double]
    public var pack_direct_cost_usd_per_yr: Prior
    public var chip_ladders: [Ladder]
    public var china: China
    public var actors: [String: ActorShipments]

    /// The bundled model.
    public static func bundled() throws -> ShipmentModel {
        let url = Bundle.module.bundleURL.appendingPathComponent("Resources/shipments.yaml")
        return try StrictYAML.decode(ShipmentModel.self, fromFile: url.path, displayName: "shipments.yaml", bundled: true)
    }

    /// The chips requested in order on `date` (YYYY-MM-DD), from the latest ladder starting on or before it.
    func ladder(on date: String) -> [String] {
        chip_ladders.filter { $0.from <= date }.max { $0.from < $1.from }?.chips ?? []
    }
}

/// One generated shipment request before screening.
struct ShipmentRequest {
    var actor: Int
    var destination: String
    var hq: String
    var parent: String
    var veu: String
    /// H100e requested this quarter.
    var h100e: Double
}

extension ShipmentModel {
    /// The requests of quarter `q` for every actor (US first, so hyperscalers' installed bases build
    /// up before their foreign shipments), at `level` times the reference demand (H100e/yr).
    func requests(quarter q: Int, level: Double, referenceDemand: [Double]) -> [ShipmentRequest] {
        var out: [ShipmentRequest] = []
        for actor in Actor.list {
            guard let spec = actors[actor.rawValue] else { continue }
            let yearly = referenceDemand[q * Actor.count + actor.index] * level
            let totalWeight = spec.destinations.reduce(0) { $0 + $1.weight }
            let totalShare = spec.buyers.reduce(0) { $0 + $1.share }
            guard yearly > 0, totalWeight > 0, totalShare > 0 else { continue }
            for d in spec.destinations {
                for b in spec.buyers {
                    let hq = b.hq == "local" ? d.country : b.hq
                    let perParent = yearly * SimulationCalendar.dt * d.weight / totalWeight * b.share / totalShare / Double(max(1, b.parents))
                    for p in 0..<max(1, b.parents) {
                        let parent = b.hq == "local" ? "\(d.country)-local-\(p + 1)" : "\(b.hq)-hq-\(p + 1)"
                        out.append(ShipmentRequest(actor: actor.index, destination: d.country, hq: hq, parent: parent, veu: b.veu ?? "", h100e: perParent))
                    }
                }
            }
        }
        return out
    }
}
