/// The dashboard's routes, as the server registers them and the pages link to them.
///
/// | method | path | page or action |
/// |---|---|---|
/// | GET | `/login` | ``LoginPage`` |
/// | POST | `/login` | form `token`, `next`, `csrf` (``LoginForm``); sets the session cookie; 303 to `next` |
/// | POST | `/logout` | form `csrf`; clears the session; 303 to `/login` |
/// | GET | `/` | 303 to `/holds` |
/// | GET | `/holds?status=` | ``HoldsPage`` |
/// | GET | `/holds/{id}` | ``HoldDetailPage`` |
/// | POST | `/holds/{id}/decision` | form `action`, `licence_number`, `licence_issued`, `licence_expires`, `limit_tpp`, `limit_units`, `note`, `csrf` (``DecisionForm``); 303 to `/holds/{id}` |
/// | GET | `/memo/{run}/{row}` | ``MemoPage`` |
/// | GET | `/caps` | ``CapsPage`` |
/// | GET | `/rules?as_of=&a=&b=` | ``RulesPage`` |
/// | GET | `/simulator` | ``SimulatorPage`` (with `lever`, `draws`, `seed` in the query: runs them) |
/// | POST | `/simulator` | form `lever` (repeated), `draws`, `seed`, `csrf` (``SimulatorRequest``); 303 to `/simulator?...` |
/// | GET | `/static/{file}` | ``DashboardAssets`` |
///
/// ```swift
/// DashboardRoutes.memo(run: 2, row: "P05")   // "/memo/2/P05"
/// ```
public enum DashboardRoutes {
    public static let login = "/login"
    public static let logout = "/logout"
    public static let root = "/"
    public static let holds = "/holds"
    public static let caps = "/caps"
    public static let rules = "/rules"
    public static let simulator = "/simulator"
    public static let staticFiles = "/static"

    /// `/holds?status=open`, or `/holds` for every status.
    public static func holds(status: HoldStatus?) -> String {
        status.map { "\(holds)?status=\($0.rawValue)" } ?? holds
    }

    public static func hold(_ id: Int64) -> String { "\(holds)/\(id)" }

    public static func decision(_ id: Int64) -> String { "\(holds)/\(id)/decision" }

    /// `/memo/{run}/{row}`, the row id percent-encoded as a path segment.
    public static func memo(run: Int64, row: String) -> String { "/memo/\(run)/\(URLText.pathSegment(row))" }

    public static func asset(_ file: String) -> String { "\(staticFiles)/\(file)" }
}

/// Percent-encoding for links the pages build (RFC 3986 unreserved characters pass through).
enum URLText {
    static func pathSegment(_ text: String) -> String { encode(text) }

    static func queryValue(_ text: String) -> String { encode(text) }

    private static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
