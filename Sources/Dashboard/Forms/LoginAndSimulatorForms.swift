/// `POST /login`: the bearer token, where to go next, and the CSRF field.
///
/// ```swift
/// let login = try LoginForm.decode(try FormBody(parsing: "token=adt_3f...&next=%2Fmemo%2F2%2FP05&csrf=..."))
/// login.next   // "/memo/2/P05"
/// ```
public struct LoginForm: Sendable, Hashable {
    public var token: String
    /// A path on this site; anything else (another host, `//host`, a scheme) becomes `/holds`, so the
    /// login page cannot be used to send someone elsewhere.
    public var next: String

    public init(token: String, next: String) {
        self.token = token
        self.next = next
    }

    /// The longest token accepted, in bytes (tokens are far shorter; this bounds the hashing work).
    public static let maxTokenLength = 512

    public static func decode(_ form: FormBody) throws(FormError) -> LoginForm {
        try form.rejectUnknown(["token", "next", "csrf"])
        guard let token = try form.single("token") else { throw FormError(field: "token", value: nil, "is required: paste the token `ai-diffusion tokens create` printed") }
        if token.utf8.count > maxTokenLength { throw FormError(field: "token", value: nil, "is longer than \(maxTokenLength) bytes") }
        return LoginForm(token: token, next: safeNext(try form.single("next")))
    }

    /// `next` if it is a local absolute path, else the holds queue.
    public static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else { return DashboardRoutes.holds }
        return next
    }
}

/// A simulator run as the form posts it (`lever` repeated, `draws`, `seed`) and as the redirect's
/// query carries it, so `GET /simulator?lever=...&draws=...&seed=...` reruns the same seeded
/// simulation (deterministic: the same request gives the same charts).
///
/// ```swift
/// let request = try SimulatorRequest.decode(form, levers: ["tier2-caps", "full-ban"], defaultSeed: 20_260_101)
/// "/simulator?" + request.query   // "/simulator?lever=full-ban&draws=500&seed=20260101"
/// ```
public struct SimulatorRequest: Sendable, Hashable {
    /// Lever ids (scenario names), in the order the simulator offers them.
    public var levers: [String]
    public var draws: Int
    public var seed: UInt64

    /// At most 2,000 draws per run from the dashboard, for interactivity (issue 9); the CLI has no such limit.
    public static let maxDraws = 2000

    public init(levers: [String], draws: Int, seed: UInt64) {
        self.levers = levers
        self.draws = draws
        self.seed = seed
    }

    /// Decodes a posted form or a query. `levers` lists the valid lever ids; a blank seed takes
    /// `defaultSeed`. Throws for an unknown lever, a draw count outside 1...`maxDraws`, or a seed that
    /// is not a non-negative integer.
    public static func decode(_ form: FormBody, levers known: [String], defaultSeed: UInt64, maxDraws: Int = maxDraws) throws(FormError) -> SimulatorRequest {
        try form.rejectUnknown(["lever", "draws", "seed", "csrf"])
        var chosen = Set<String>()
        for lever in form.values("lever") {
            guard known.contains(lever) else {
                throw FormError(field: "lever", value: lever, "is not a lever (known: \(known.joined(separator: ", ")))")
            }
            chosen.insert(lever)
        }
        guard let drawsText = try form.single("draws") else { throw FormError(field: "draws", value: nil, "is required (1 to \(maxDraws))") }
        guard let draws = Int(drawsText), (1...maxDraws).contains(draws) else {
            throw FormError(field: "draws", value: drawsText, "is not a whole number from 1 to \(maxDraws)")
        }
        var seed = defaultSeed
        if let seedText = try form.single("seed") {
            guard let parsed = UInt64(seedText) else { throw FormError(field: "seed", value: seedText, "is not a whole number from 0 to \(UInt64.max)") }
            seed = parsed
        }
        return SimulatorRequest(levers: known.filter(chosen.contains), draws: draws, seed: seed)
    }

    /// `lever=a&lever=b&draws=N&seed=S`, for the redirect after a post.
    public var query: String {
        (levers.map { "lever=\(URLText.queryValue($0))" } + ["draws=\(draws)", "seed=\(seed)"]).joined(separator: "&")
    }
}
