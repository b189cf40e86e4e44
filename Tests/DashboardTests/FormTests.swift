import ComputeMetrics
import Dashboard
import DiffusionRules
import Testing

@Suite("Dashboard forms")
struct FormTests {
    func decode(_ body: String) throws(FormError) -> HoldDecisionRequest {
        try DecisionForm.decode(try FormBody(parsing: body))
    }

    func message(_ body: String) -> String? {
        do {
            _ = try decode(body)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("x-www-form-urlencoded: + is a space, %XX a byte, UTF-8 decoded, order kept")
    func parsing() throws {
        let form = try FormBody(parsing: "note=end+user%20unclear&lever=a&lever=b&name=Soci%C3%A9t%C3%A9&empty=&flag")
        #expect(form.first("note") == "end user unclear")
        #expect(form.values("lever") == ["a", "b"])
        #expect(form.first("name") == "Société")
        #expect(form.first("empty") == "")
        #expect(form.first("flag") == "")
        #expect(try FormBody(parsing: "").fields.isEmpty)
    }

    @Test("malformed bodies: one line naming the byte offset and the text")
    func malformed() {
        #expect(throws: FormError.self) { try FormBody(parsing: "a=%G1") }
        do {
            _ = try FormBody(parsing: "action=release&note=50%")
            Issue.record("accepted a truncated escape")
        } catch {
            #expect(error.description == "form field \"note\": \"%\" at byte 22 of the form body is not a percent escape (%XX)")
        }
        do {
            _ = try FormBody(parsing: "note=%FF")
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.description == "form field \"note\" at byte 5 of the form body is not UTF-8 text")
        }
    }

    @Test("release against an existing licence")
    func releaseExisting() throws {
        let request = try decode("action=release&licence_number=D-2026-0417&csrf=t")
        #expect(request == HoldDecisionRequest(action: .release, licence: .existing(number: "D-2026-0417"), note: nil))
    }

    @Test("release with a new licence limited in TPP (exact thousandths) or in units")
    func releaseNew() throws {
        let tpp = try decode("action=release&licence_number=D-1&licence_issued=2026-01-05&licence_expires=2027-01-04&limit_tpp=300000000.5&limit_units=&note=ok")
        #expect(tpp.licence == .new(NewLicence(number: "D-1", issued: Day("2026-01-05")!, expires: Day("2027-01-04")!, limit: .tpp(TPP(milli: 300_000_000_500)))))
        #expect(tpp.note == "ok")
        let units = try decode("action=release&licence_number=D-2&licence_issued=2026-01-05&licence_expires=2026-01-05&limit_units=8192")
        #expect(units.licence == .new(NewLicence(number: "D-2", issued: Day("2026-01-05")!, expires: Day("2026-01-05")!, limit: .units(8192))))
    }

    @Test("reject needs a note; escalate does not; neither takes licence fields")
    func rejectAndEscalate() throws {
        #expect(try decode("action=reject&note=not+licensable") == HoldDecisionRequest(action: .reject, licence: nil, note: "not licensable"))
        #expect(try decode("action=escalate") == HoldDecisionRequest(action: .escalate, licence: nil, note: nil))
        #expect(message("action=reject&note=+") == "form field \"note\" is required to reject a hold: say why")
        #expect(message("action=reject&note=x&licence_number=D-1") == "form field \"licence_number\": \"D-1\" belongs to a release, not to reject")
    }

    @Test("refusals are one line naming the field and the value")
    func refusals() {
        let cases: [(String, String)] = [
            ("", "form field \"action\" is required: release, reject or escalate"),
            ("action=approve", "form field \"action\": \"approve\" is not release, reject or escalate"),
            ("action=release", "form field \"licence_number\" is required to release a hold: an existing licence, or a new one with its dates and limit"),
            ("action=release&licence_number=D-1&licence_issued=2026-01-05&licence_expires=2026-02-30&limit_tpp=1",
             "form field \"licence_expires\": \"2026-02-30\" is not a date (YYYY-MM-DD)"),
            ("action=release&licence_number=D-1&licence_expires=2026-02-01&limit_tpp=1",
             "form field \"licence_issued\" is required for a new licence (YYYY-MM-DD)"),
            ("action=release&licence_number=D-1&licence_issued=2026-02-01&licence_expires=2026-01-31&limit_tpp=1",
             "form field \"licence_expires\": \"2026-01-31\" is before licence_issued 2026-02-01"),
            ("action=release&licence_number=D-1&licence_issued=2026-01-01&licence_expires=2026-12-31",
             "form field \"limit_tpp\" or limit_units is required for a new licence"),
            ("action=release&licence_number=D-1&licence_issued=2026-01-01&licence_expires=2026-12-31&limit_tpp=1&limit_units=1",
             "form field \"limit_units\": \"1\" given with limit_tpp; a licence is limited in TPP or in units, not both"),
            ("action=release&licence_number=D-1&licence_issued=2026-01-01&licence_expires=2026-12-31&limit_tpp=1e6",
             "form field \"limit_tpp\": \"1e6\" is not a plain decimal number of TPP"),
            ("action=release&licence_number=D-1&licence_issued=2026-01-01&licence_expires=2026-12-31&limit_tpp=0",
             "form field \"limit_tpp\": \"0\" must be more than 0"),
            ("action=release&licence_number=D-1&licence_issued=2026-01-01&licence_expires=2026-12-31&limit_units=-5",
             "form field \"limit_units\": \"-5\" must be more than 0"),
            ("action=release&licence_number=D%0A1", "form field \"licence_number\": \"D\\u{a}1\" contains the control character U+000A"),
            ("action=reject&action=release", "form field \"action\" given 2 times; give it once"),
            ("action=reject&note=x&admin=1",
             "form field \"admin\" is not a field of this form (expected: action, csrf, licence_expires, licence_issued, licence_number, limit_tpp, limit_units, note)"),
        ]
        for (body, expected) in cases {
            let got = message(body)
            #expect(got == expected, "\(body)")
            #expect(got?.contains("\n") == false)
        }
        let long = String(repeating: "x", count: DecisionForm.maxNoteLength + 1)
        #expect(message("action=escalate&note=\(long)") == "form field \"note\" has 2001 characters; at most 2000")
    }

    @Test("login: token required, next only a local path")
    func login() throws {
        let login = try LoginForm.decode(try FormBody(parsing: "token=adt_abc&next=%2Fmemo%2F2%2FP05&csrf=t"))
        #expect(login == LoginForm(token: "adt_abc", next: "/memo/2/P05"))
        for next in ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "/a b"] {
            #expect(LoginForm.safeNext(next) == "/holds", "\(next)")
        }
        #expect(throws: FormError.self) { try LoginForm.decode(try FormBody(parsing: "token=&csrf=t")) }
    }

    @Test("simulator request: known levers in offered order, 1...2000 draws, seed default, query for the redirect")
    func simulator() throws {
        let levers = ["tier2-caps", "enforcement", "full-ban"]
        let request = try SimulatorRequest.decode(try FormBody(parsing: "lever=full-ban&lever=tier2-caps&lever=full-ban&draws=500&seed=&csrf=t"),
                                                  levers: levers, defaultSeed: 42)
        #expect(request == SimulatorRequest(levers: ["tier2-caps", "full-ban"], draws: 500, seed: 42))
        #expect(request.query == "lever=tier2-caps&lever=full-ban&draws=500&seed=42")
        let again = try SimulatorRequest.decode(try FormBody(parsing: request.query), levers: levers, defaultSeed: 0)
        #expect(again == request, "the redirect's query decodes to the same request")
        func refusal(_ body: String) -> String? {
            do { _ = try SimulatorRequest.decode(try FormBody(parsing: body), levers: levers, defaultSeed: 42); return nil } catch { return error.description }
        }
        #expect(refusal("draws=2001") == "form field \"draws\": \"2001\" is not a whole number from 1 to 2000")
        #expect(refusal("draws=0") == "form field \"draws\": \"0\" is not a whole number from 1 to 2000")
        #expect(refusal("draws=10&lever=moon-shot") == "form field \"lever\": \"moon-shot\" is not a lever (known: tier2-caps, enforcement, full-ban)")
        #expect(refusal("draws=10&seed=-1") == "form field \"seed\": \"-1\" is not a whole number from 0 to 18446744073709551615")
    }
}
