import AllocationLedger

extension ComplianceService {
    /// The installed bases recorded per holder and country (fleet seeds plus committed VEU
    /// shipments), as `ledger show` lists them; the dashboard charts the VEU holders'.
    public func installedBases() throws -> [InstalledBaseEntry] {
        try ledger().installedBases()
    }
}
