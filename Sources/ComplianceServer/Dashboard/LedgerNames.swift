import AllocationLedger

// The ledger's hold types, named apart from the dashboard's view-model types of the same names
// (`AllocationLedger.HoldStatus` cannot be spelled: the module has a protocol of its own name).
typealias LedgerHoldStatus = HoldStatus
typealias LedgerHoldAction = HoldAction
typealias LedgerLicenceChoice = HoldDecision.LicenceChoice
