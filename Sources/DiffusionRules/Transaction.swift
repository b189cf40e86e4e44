import ComputeMetrics

/// Whether the ultimate consignee holds a Data Center Validated End-User authorization.
public enum VEUStatus: UInt8, Sendable, Hashable {
    case none, universal, national

    /// The CSV spelling: empty, `UVEU` or `NVEU`.
    public var code: String {
        switch self {
        case .none: return ""
        case .universal: return "UVEU"
        case .national: return "NVEU"
        }
    }

    public init?(code: String) {
        switch code {
        case "": self = .none
        case "UVEU": self = .universal
        case "NVEU": self = .national
        default: return nil
        }
    }
}

/// Declared end use of a shipment (formats.md, transactions CSV). `supercomputer` and
/// `advanced-node-ic` (development or production of advanced-node integrated circuits) are the
/// 15 CFR 744.23 end uses; `military` is § 744.21; `wmd` §§ 744.2-744.4.
public enum EndUse: UInt8, Sendable, Hashable, CaseIterable {
    case unspecified, frontierTraining, military, wmd, supercomputer, advancedNodeIC

    public var code: String {
        switch self {
        case .unspecified: return ""
        case .frontierTraining: return "frontier-training"
        case .military: return "military"
        case .wmd: return "wmd"
        case .supercomputer: return "supercomputer"
        case .advancedNodeIC: return "advanced-node-ic"
        }
    }

    public init?(code: String) {
        guard let match = EndUse.allCases.first(where: { $0.code == code }) else { return nil }
        self = match
    }
}

/// Parties named in a run, interned so that a million rows share one copy of each name.
public struct PartyTable: Sendable {
    public private(set) var names: [String] = []
    private var indexByName: [String: Int32] = [:]

    public init() {}

    /// The index of `name`, adding it if new.
    public mutating func intern(_ name: String) -> Int32 {
        if let index = indexByName[name] { return index }
        let index = Int32(names.count)
        names.append(name)
        indexByName[name] = index
        return index
    }

    public func index(of name: String) -> Int32? { indexByName[name] }

    public subscript(index: Int32) -> String { names[Int(index)] }
}

/// The items a run refers to: the catalog's chips followed by uncatalogued items described by
/// their figures in the input (`tpp`, `die_area_mm2`, `datacenter`, ...), deduplicated.
public struct ItemTable: Sendable {
    public private(set) var specs: [ChipSpec]
    /// Item names as typed in the input, interned (a transaction refers to one by index).
    public private(set) var labels: [String] = []
    private var labelIndex: [String: Int32] = [:]
    /// For each item, the catalog item it was derived from (itself for catalog items), so that rules
    /// naming a catalog item also catch rows that give its figures.
    public private(set) var catalogItem: [Int]
    /// TPP of one unit of each item (nil: unknown), kept apart from the specs so that reading it
    /// copies no names.
    public private(set) var tppPerUnit: [TPP?]
    private var customIndex: [ChipSpec: Int] = [:]

    public init(catalog: ChipCatalog) {
        self.specs = catalog.chips
        self.catalogItem = Array(catalog.chips.indices)
        self.tppPerUnit = catalog.chips.map(\.tpp)
    }

    /// The index of an uncatalogued item (or a catalog item with figures from the input), adding it if new.
    public mutating func intern(custom spec: ChipSpec, derivedFrom catalogIndex: Int? = nil) -> Int {
        if let index = customIndex[spec] { return index }
        let index = specs.count
        specs.append(spec)
        tppPerUnit.append(spec.tpp)
        catalogItem.append(catalogIndex ?? index)
        customIndex[spec] = index
        return index
    }

    public subscript(index: Int) -> ChipSpec { specs[index] }

    /// The index of a typed item name, adding it if new.
    public mutating func intern(label: String) -> Int32 {
        if let index = labelIndex[label] { return index }
        let index = Int32(labels.count)
        labels.append(label)
        labelIndex[label] = index
        return index
    }
}

/// One validated row of a transactions file (formats.md): what ships, how many, where, to whom.
public struct Transaction: Sendable {
    /// The row's `id`, unique within its file.
    public var id: String
    /// Physical line in the input file (for messages).
    public var line: Int32
    public var date: Day
    /// Index into the run's ``ItemTable``.
    public var item: Int32
    /// Index into the ``ItemTable``'s labels: the name as typed (printed in the output's `item`).
    public var itemLabel: Int32
    /// Units shipped (> 0).
    public var quantity: Int64
    public var destination: CountryCode
    /// Ultimate consignee, index into the run's ``PartyTable``.
    public var consignee: Int32
    /// Headquarters country of the consignee's ultimate parent.
    public var consigneeHQ: CountryCode
    /// Ultimate parent (LPP and installed bases count per parent); defaults to the consignee.
    public var ultimateParent: Int32
    public var exporterCountry: CountryCode
    public var veu: VEUStatus
    public var endUse: EndUse
    /// End user, intermediate consignee and purchaser (indices into the ``PartyTable``; -1: none).
    /// Only part 744 screening reads them (restricted parties, issue 10).
    public var endUser: Int32
    public var intermediateConsignee: Int32
    public var purchaser: Int32

    public init(id: String, line: Int32, date: Day, item: Int32, itemLabel: Int32, quantity: Int64,
                destination: CountryCode, consignee: Int32, consigneeHQ: CountryCode, ultimateParent: Int32,
                exporterCountry: CountryCode = .unitedStates, veu: VEUStatus = .none, endUse: EndUse = .unspecified,
                endUser: Int32 = -1, intermediateConsignee: Int32 = -1, purchaser: Int32 = -1) {
        self.id = id
        self.line = line
        self.date = date
        self.item = item
        self.itemLabel = itemLabel
        self.quantity = quantity
        self.destination = destination
        self.consignee = consignee
        self.consigneeHQ = consigneeHQ
        self.ultimateParent = ultimateParent
        self.exporterCountry = exporterCountry
        self.veu = veu
        self.endUse = endUse
        self.endUser = endUser
        self.intermediateConsignee = intermediateConsignee
        self.purchaser = purchaser
    }
}
