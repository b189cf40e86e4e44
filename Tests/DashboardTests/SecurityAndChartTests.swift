import ComputeMetrics
import Dashboard
import Testing

@Suite("Dashboard CSRF tokens")
struct CSRFTests {
    let secret = Array(0..<32).map(UInt8.init)

    @Test("token = v1.<issued>.<base64 HMAC-SHA256>; the MAC matches Python's hmac for the same key and message")
    func knownAnswer() throws {
        // python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(bytes(range(32)),
        //   b'ai-diffusion csrf v1\ns1\n1767225600', hashlib.sha256).digest()).decode())"
        let csrf = try CSRFTokens(secret: secret)
        #expect(csrf.token(session: "s1", issuedAt: 1_767_225_600) == "v1.1767225600.VM/oG/FrTsArIxFG1Rol/u9dSHGwY7MIz5lweuEhhVM=")
    }

    @Test("verifies for its session within maxAge; refuses another session, an edited token, expiry, the future, garbage")
    func verify() throws {
        let csrf = try CSRFTokens(secret: secret, maxAge: 3600)
        let token = csrf.token(session: "s1", issuedAt: 1_000_000)
        try csrf.verify(token, session: "s1", now: 1_000_000 + 3600)
        #expect(throws: CSRFError.self) { try csrf.verify(token, session: "s2", now: 1_000_100) }
        #expect(throws: CSRFError.self) { try csrf.verify(token, session: "s1", now: 1_000_000 + 3601) }
        #expect(throws: CSRFError.self) { try csrf.verify(token, session: "s1", now: 1_000_000 - 3600) }
        let edited = token.replacingOccurrences(of: "v1.1000000.", with: "v1.1000001.")
        #expect(throws: CSRFError.self) { try csrf.verify(edited, session: "s1", now: 1_000_100) }
        for bad in [nil, "", "v1", "v2.1000000.AAAA", "v1.x.AAAA", "v1.1000000.not base64"] {
            #expect(throws: CSRFError.self) { try csrf.verify(bad, session: "s1", now: 1_000_100) }
        }
        let other = try CSRFTokens(secret: Array(repeating: 9, count: 32))
        #expect(throws: CSRFError.self) { try other.verify(token, session: "s1", now: 1_000_100) }
    }

    @Test("secrets shorter than 32 bytes are refused")
    func shortSecret() {
        #expect(throws: CSRFError.self) { try CSRFTokens(secret: Array(repeating: 1, count: 31)) }
    }
}

@Suite("Dashboard bar charts")
struct BarChartTests {
    let renderer: DashboardRenderer
    init() throws { renderer = try DashboardRenderer() }

    /// The attribute `name` of the first element of `kind` after `marker`.
    func attribute(_ name: String, of kind: String, after marker: String, in html: String) -> String? {
        guard let start = html.range(of: marker), let element = html[start.upperBound...].range(of: "<rect class=\"\(kind)\"") else { return nil }
        let rest = html[element.upperBound...]
        guard let key = rest.range(of: " \(name)=\"") else { return nil }
        return String(rest[key.upperBound...].prefix { $0 != "\"" })
    }

    @Test("a bar is drawn to scale against its limit: half the limit fills half the 380-unit track, reserved follows used")
    func scale() {
        let page = CapsPage(asOf: "t", countryAllocations: [
            CapBar(cap: "country_allocation/IN", label: "IN", used: TPP(whole: 395_000_000), reserved: TPP(whole: 79_000_000), limit: TPP(whole: 790_000_000)),
        ], lpp: [], veuInstalledBases: [], licences: [])
        let html = renderer.render(page, chrome: Samples.chrome)
        #expect(attribute("width", of: "bar-track", after: "id=\"chart-allocations\"", in: html) == "380.0")
        #expect(attribute("width", of: "bar-used", after: "id=\"chart-allocations\"", in: html) == "190.0")
        #expect(attribute("x", of: "bar-reserved", after: "id=\"chart-allocations\"", in: html) == "410.0", "starts where used ends (220 + 190)")
        #expect(attribute("width", of: "bar-reserved", after: "id=\"chart-allocations\"", in: html) == "38.0", "79,000,000 / 790,000,000 of 380")
        #expect(html.contains("474000000 of 790000000 TPP (60.0% taken)"))
    }

    @Test("bars without a limit are scaled to the largest in the chart and drawn without a track")
    func unlimited() {
        let page = CapsPage(asOf: "t", countryAllocations: [], lpp: [], veuInstalledBases: [
            CapBar(cap: "h/AE", label: "h AE", used: TPP(whole: 300), limit: nil),
            CapBar(cap: "h/US", label: "h US", used: TPP(whole: 1200), limit: nil),
        ], licences: [])
        let html = renderer.render(page, chrome: Samples.chrome)
        #expect(!html.contains("bar-track"))
        #expect(html.contains("class=\"bar-used\" x=\"220.0\" y=\"11.0\" width=\"95.0\""), "300 / 1200 of 380")
        #expect(html.contains("class=\"bar-used\" x=\"220.0\" y=\"35.0\" width=\"380.0\""))
    }

    @Test("a group without caps says so instead of drawing an empty chart")
    func empty() {
        let html = renderer.render(CapsPage(asOf: "t", countryAllocations: [], lpp: [], veuInstalledBases: [], licences: []), chrome: Samples.chrome)
        #expect(!html.contains("<svg"))
        #expect(html.contains("No country allocation has been debited."))
        #expect(html.contains("No licence on file."))
    }
}
