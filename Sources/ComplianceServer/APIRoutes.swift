import AllocationLedger
import ComplianceService
import ComputeMetrics
import DiffusionRules
import Foundation
import HTTPTypes
import Hummingbird
import Screening
import TabularIO

/// The API's routes (``APIRoute``): each parses its request, calls the application layer on a
/// blocking thread, and renders what it returns. `/openapi.json` describes exactly these.
public enum APIRoutes {
    /// Every route the server registers, in the order of the OpenAPI document.
    public static func all(service: ComplianceService, metrics: ServiceMetrics) -> [APIRoute] {
        operations(service, metrics) + screening(service, metrics) + holds(service) + licences(service)
            + reference(service) + ledger(service) + tokens(service)
    }

    // MARK: - Operations

    static func operations(_ service: ComplianceService, _ metrics: ServiceMetrics) -> [APIRoute] {
        [
            APIRoute(method: .get, path: "/healthz", permission: nil) { _, _, _ in Reply.json("{\"status\":\"ok\"}") },
            APIRoute(method: .get, path: "/readyz", permission: nil) { _, _, _ in
                do {
                    try await Blocking.run { try service.ready() }
                    return Reply.json("{\"status\":\"ready\"}")
                } catch {
                    return Reply.error(ServiceError(.unavailable, "the ledger is not reachable: \(ServiceError.from(error).message)"))
                }
            },
            APIRoute(method: .get, path: "/metrics", permission: nil) { _, _, _ in
                let text = try await Blocking.run { metrics.exposition(service) }
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                                body: .init(byteBuffer: ByteBuffer(bytes: text)))
            },
            APIRoute(method: .get, path: "/openapi.json", permission: .reference) { _, _, _ in Reply.json(OpenAPIDocument.bytes) },
            APIRoute(method: .post, path: "/login", permission: nil) { request, _, _ in try await Session.login(&request, service) },
            APIRoute(method: .post, path: "/logout", permission: nil) { _, _, _ in Session.logout() },
            APIRoute(method: .get, path: "/v1/me", permission: .reference) { _, _, principal in Reply.json(Session.me(principal!)) },
        ]
    }

    // MARK: - Screening

    static func screening(_ service: ComplianceService, _ metrics: ServiceMetrics) -> [APIRoute] {
        [
            APIRoute(method: .post, path: "/v1/screenings", permission: .screen) { request, _, principal in
                let body = try await request.bytes(limit: service.limits.maxBodyBytes)
                let csv = request.headers[.contentType]?.lowercased().hasPrefix("text/csv") == true
                let screening = csv
                    ? try ScreeningRequest(csv: body, regime: request.query("regime"), compare: request.query("compare"),
                                           commit: try Params.bool(request.query("commit"), "commit"), limits: service.limits)
                    : try ScreeningRequest(json: body, limits: service.limits)
                let key = request.headers[HTTPField.Name("Idempotency-Key")!]
                let principal = principal!
                // A dry run on SQLite reads the ledger for microseconds: answered where it stands.
                // Commits (fsync) and PostgreSQL (the network) go to the blocking threads.
                if !screening.commit && service.readsAreLocal {
                    return try Screenings.answer(screening, key: key, by: principal, service: service, metrics: metrics)
                }
                return try await Blocking.run {
                    try Screenings.answer(screening, key: key, by: principal, service: service, metrics: metrics)
                }
            },
        ]
    }

    // MARK: - Holds

    static func holds(_ service: ComplianceService) -> [APIRoute] {
        [
            APIRoute(method: .get, path: "/v1/holds", permission: .readHolds) { request, _, _ in
                let status = try request.query("status").map { text -> HoldStatus in
                    guard let status = HoldStatus(rawValue: text) else {
                        throw ServiceError(.badRequest, "status must be open, escalated, released or rejected", field: "status", value: text)
                    }
                    return status
                }
                let holds = try await Blocking.run { try service.holds(status: status) }
                return Reply.json("{\"holds\":[\n" + holds.map(ServiceJSON.hold).joined(separator: ",\n") + "\n]}")
            },
            APIRoute(method: .get, path: "/v1/holds/{id}", permission: .readHolds) { _, context, _ in
                let id = try Params.id(context, "id")
                return Reply.json(ServiceJSON.hold(try await Blocking.run { try service.hold(id) }))
            },
            APIRoute(method: .post, path: "/v1/holds/{id}/decision", permission: .decideHolds) { request, context, principal in
                let id = try Params.id(context, "id")
                let body = try await request.json(service)
                guard let text = try body.text("action", in: "decision"), let action = HoldAction(rawValue: text) else {
                    throw ServiceError(.badRequest, "decision: \"action\" must be release, reject or escalate", field: "action",
                                       value: try? body.text("action", in: "decision"))
                }
                let choice = try Params.licenceChoice(body["licence"])
                let note = try body.text("note", in: "decision")
                let hold = try await Blocking.run { try service.decide(hold: id, action: action, licence: choice, note: note, by: principal) }
                return Reply.json(ServiceJSON.hold(hold))
            },
            APIRoute(method: .post, path: "/v1/holds/recheck", permission: .recheck) { request, _, principal in
                let body = try await request.json(service)
                let regime = try body.text("regime", in: "recheck") ?? "enforced"
                let asOf = try Params.day(try body.text("as_of", in: "recheck"), "as_of")
                let report = try await Blocking.run { try service.recheck(regime: regime, asOf: asOf, by: principal) }
                return Reply.json(ServiceJSON.recheck(report))
            },
        ]
    }

    // MARK: - Licences

    static func licences(_ service: ComplianceService) -> [APIRoute] {
        [
            APIRoute(method: .post, path: "/v1/licences", permission: .writeLicences) { request, _, principal in
                let spec = try Params.licenceSpec(try await request.json(service))
                let (licence, replayed) = try await Blocking.run { try service.createLicence(spec, by: principal) }
                return Reply.json(ServiceJSON.licence(licence), status: replayed ? .ok : .created)
            },
            APIRoute(method: .get, path: "/v1/licences", permission: .readLicences) { _, _, _ in
                let licences = try await Blocking.run { try service.licences() }
                return Reply.json("{\"licences\":[\n" + licences.map(ServiceJSON.licence).joined(separator: ",\n") + "\n]}")
            },
            APIRoute(method: .get, path: "/v1/licences/{number}", permission: .readLicences) { _, context, _ in
                let number = context.parameters.get("number") ?? ""
                return Reply.json(ServiceJSON.licence(try await Blocking.run { try service.licence(number) }))
            },
        ]
    }

    // MARK: - Reference data

    static func reference(_ service: ComplianceService) -> [APIRoute] {
        [
            APIRoute(method: .post, path: "/v1/classify/chip", permission: .reference) { request, _, _ in
                let body = try await request.json(service)
                let regime = try body.text("regime", in: "classify") ?? "enforced"
                let day = try Params.day(try body.text("as_of", in: "classify"), "as_of") ?? service.today
                let chip = try Params.chip(body, service.book)
                let (classification, layers) = try service.classify(chip, regime: regime, on: day)
                return Reply.json(classification.json(regime: regime, day: day, layers: layers))
            },
            APIRoute(method: .get, path: "/v1/rules/layers", permission: .reference) { _, _, _ in
                let (layers, regimes) = service.rules()
                return Reply.json("{\"layers\":[\n" + layers.map(ReferenceJSON.layer).joined(separator: ",\n") + "\n],\"regimes\":[\n"
                                  + regimes.map(ReferenceJSON.regime).joined(separator: ",\n") + "\n]}")
            },
            APIRoute(method: .get, path: "/v1/rules/tiers", permission: .reference) { request, _, _ in
                let regime = request.query("regime") ?? "ai-diffusion-2025"
                let day = try Params.day(request.query("as_of"), "as_of") ?? service.today
                let (view, countries) = try service.tiers(regime: regime, on: day)
                return Reply.json("{\"regime\":\(JSONEscaping.quoted(regime)),\"as_of\":\"\(day)\",\"layers\":[\(view.layers.map(JSONEscaping.quoted).joined(separator: ","))],\"tiers\":[\n"
                                  + countries.map { ReferenceJSON.tier($0, view: view) }.joined(separator: ",\n") + "\n]}")
            },
            APIRoute(method: .get, path: "/v1/rules/diff", permission: .reference) { request, _, _ in
                guard let a = request.query("a"), let b = request.query("b") else {
                    throw ServiceError(.badRequest, "give two sides: ?a=REGIME[@DATE]&b=REGIME[@DATE]", field: request.query("a") == nil ? "a" : "b")
                }
                let day = try Params.day(request.query("as_of"), "as_of") ?? service.today
                let diff = try service.diff(a, b, on: day)
                func side(_ v: RegimeView) -> String { "{\"regime\":\(JSONEscaping.quoted(v.regime)),\"as_of\":\"\(v.day)\"}" }
                return Reply.json("{\"a\":\(side(diff.a)),\"b\":\(side(diff.b)),\"changes\":[\n" + diff.changes.map(ReferenceJSON.change).joined(separator: ",\n") + "\n]}")
            },
        ]
    }

    // MARK: - Ledger and runs

    static func ledger(_ service: ComplianceService) -> [APIRoute] {
        [
            APIRoute(method: .get, path: "/v1/ledger/caps", permission: .readCaps) { request, _, _ in
                let regime = request.query("regime") ?? "ai-diffusion-2025"
                let day = try Params.day(request.query("as_of"), "as_of")
                let caps = try await Blocking.run { try service.caps(regime: regime, asOf: day) }
                return Reply.json("{\"caps\":[\n" + caps.map(ReferenceJSON.cap).joined(separator: ",\n") + "\n]}")
            },
            APIRoute(method: .get, path: "/v1/ledger/verify", permission: .verify) { _, _, _ in
                Reply.json(ServiceJSON.verification(try await Blocking.run { try service.verify() }))
            },
            APIRoute(method: .get, path: "/v1/runs/{id}", permission: .readRuns) { _, context, _ in
                let id = try Params.id(context, "id")
                return Reply.json(ServiceJSON.run(try await Blocking.run { try service.run(id) }))
            },
            APIRoute(method: .get, path: "/v1/runs/{id}/receipts", permission: .readRuns) { _, context, _ in
                let id = try Params.id(context, "id")
                let receipts = try await Blocking.run { try service.receipts(run: id) }
                return Reply.json("{\"run\":\(id),\"receipts\":[\n" + receipts.joined(separator: ",\n") + "\n]}")
            },
        ]
    }

    // MARK: - Tokens

    static func tokens(_ service: ComplianceService) -> [APIRoute] {
        [
            APIRoute(method: .post, path: "/v1/tokens", permission: .writeTokens) { request, _, principal in
                let body = try await request.json(service)
                guard let name = try body.text("name", in: "token") else { throw ServiceError(.badRequest, "token: \"name\" is required", field: "name") }
                let roleText = try body.text("role", in: "token")
                guard let role = roleText.flatMap(Role.init(rawValue:)) else {
                    throw ServiceError(.badRequest, "token: \"role\" must be screener, officer, auditor or admin", field: "role", value: roleText)
                }
                let (secret, record) = try await Blocking.run { try service.createToken(name: name, role: role, by: principal) }
                return Reply.json(String(ServiceJSON.tokenRecord(record).dropLast()) + ",\"token\":\(JSONEscaping.quoted(secret))}", status: .created)
            },
            APIRoute(method: .get, path: "/v1/tokens", permission: .readTokens) { _, _, _ in
                let tokens = try await Blocking.run { try service.tokens() }
                return Reply.json("{\"tokens\":[\n" + tokens.map(ServiceJSON.tokenRecord).joined(separator: ",\n") + "\n]}")
            },
            APIRoute(method: .delete, path: "/v1/tokens/{name}", permission: .writeTokens) { _, context, principal in
                let name = context.parameters.get("name") ?? ""
                return Reply.json(ServiceJSON.tokenRecord(try await Blocking.run { try service.revokeToken(name: name, by: principal) }))
            },
        ]
    }
}

/// `POST /v1/screenings`: dry run, comparison or commit, answered as JSON.
enum Screenings {
    static func answer(_ request: ScreeningRequest, key: String?, by principal: Principal, service: ComplianceService,
                       metrics: ServiceMetrics) throws -> Response {
        let input = try ScreeningInput(request: request, book: service.book, name: "POST /v1/screenings by \(principal.name)")
        if let (a, b) = request.compare {
            let (ra, rb) = (try service.regime(a), try service.regime(b))
            let sink = ByteSink.memory()
            let summary = try service.compare(input, ra, rb, format: .jsonl, sink: sink)
            let lines = sink.text.split(separator: "\n")
            return Reply.json("{\"run\":null,\"regimes\":[\(JSONEscaping.quoted(ra.id)),\(JSONEscaping.quoted(rb.id))],\"summary\":\(summary.json()),\"comparisons\":[\n"
                + lines.joined(separator: ",\n") + "\n]}")
        }
        let regime = try service.regime(request.regime)
        if request.commit {
            let result = try service.commit(input, regime: regime, requestKey: key, by: principal)
            if let determinations = result.determinations {
                var counts: [String: Int] = [:]
                for d in determinations { counts[d.authorization.rawValue, default: 0] += 1 }
                metrics.count(counts, mode: "commit")
            }
            return Reply.screening(ServiceJSON.screeningPrefix(run: result.runID, replayed: result.replayed, regime: result.regime, holds: result.holds),
                                   array: ServiceJSON.array(result.json))
        }
        // A dry run: formatted as `screen --format json` does (compact decisions, formatted on every core).
        let sink = ByteSink.memory()
        let summary = try service.screen(input, regime: regime, format: .json, sink: sink)
        metrics.count(summary.regimes[0].byAuthorization, mode: "dry_run")
        return Reply.screening(ServiceJSON.screeningPrefix(run: nil, replayed: false, regime: regime.id, holds: []), array: sink.captured)
    }
}

/// Parameters and bodies read into the application layer's types (400 naming the field).
enum Params {
    static func id(_ context: APIContext, _ name: String) throws -> Int64 {
        let text = context.parameters.get(name) ?? ""
        guard let id = Int64(text), id > 0 else { throw ServiceError(.badRequest, "\(name) must be a positive whole number", field: name, value: text) }
        return id
    }

    static func bool(_ text: String?, _ name: String) throws -> Bool {
        switch text {
        case nil, "false"?, "0"?: return false
        case "true"?, "1"?: return true
        default: throw ServiceError(.badRequest, "\(name) must be true or false", field: name, value: text)
        }
    }

    static func day(_ text: String?, _ name: String) throws -> Day? {
        guard let text else { return nil }
        guard let day = Day(text) else { throw ServiceError(.badRequest, "\(name) \"\(text)\" is not a date in YYYY-MM-DD form", field: name, value: text) }
        return day
    }

    static func number(_ value: JSONValue?, _ name: String) throws -> TPP? {
        switch value {
        case nil, .null?: return nil
        case let .number(text)?, let .string(text)?:
            guard let tpp = TPP(parsing: Substring(text)), tpp.milli > 0 else {
                throw ServiceError(.badRequest, "\(name) must be a positive number (at most three decimals)", field: name, value: text)
            }
            return tpp
        default: throw ServiceError(.badRequest, "\(name) must be a number", field: name)
        }
    }

    /// `{"number", "issued", "expires", "limit_tpp" | "limit_units", "destination"?, "consignee"?}`.
    static func licenceSpec(_ body: JSONValue) throws -> LicenceSpec {
        guard case .object = body else { throw ServiceError(.badRequest, "licence must be an object", field: "licence") }
        guard let licenceNumber = try body.text("number", in: "licence") else { throw ServiceError(.badRequest, "licence: \"number\" is required", field: "number") }
        guard let issuedText = try body.text("issued", in: "licence") else { throw ServiceError(.badRequest, "licence: \"issued\" is required (YYYY-MM-DD)", field: "issued") }
        guard let expiresText = try body.text("expires", in: "licence") else { throw ServiceError(.badRequest, "licence: \"expires\" is required (YYYY-MM-DD)", field: "expires") }
        let issued = try day(issuedText, "issued")!, expires = try day(expiresText, "expires")!
        let tpp = try number(body["limit_tpp"], "limit_tpp"), units = try number(body["limit_units"], "limit_units")
        guard (tpp == nil) != (units == nil) else {
            throw ServiceError(.badRequest, "licence: give exactly one of \"limit_tpp\" and \"limit_units\"", field: "limit_tpp")
        }
        var destination: CountryCode?
        if let text = try body.text("destination", in: "licence") {
            guard let code = CountryCode(text), code.description == text else {
                throw ServiceError(.badRequest, "licence: destination \"\(text)\" is not an ISO 3166-1 alpha-2 code", field: "destination", value: text)
            }
            destination = code
        }
        return LicenceSpec(number: licenceNumber, issued: issued, expires: expires, unit: tpp != nil ? .tpp : .units, limit: tpp ?? units!,
                           destination: destination, consignee: try body.text("consignee", in: "licence"))
    }

    /// A decision's licence: a number (or `{"number"}`) names a recorded licence; an object with
    /// terms records one inline.
    static func licenceChoice(_ value: JSONValue?) throws -> HoldDecision.LicenceChoice? {
        switch value {
        case nil, .null?: return nil
        case let .string(number)?: return .existing(number)
        case let .object(members)? where members.count == 1 && members[0].0 == "number":
            guard let number = members[0].1.string else { throw ServiceError(.badRequest, "licence: \"number\" must be a string", field: "number") }
            return .existing(number)
        case let value?: return .new(try licenceSpec(value))
        }
    }

    /// `{"name"}` (catalog name or alias) or the figures of an uncatalogued chip.
    static func chip(_ body: JSONValue, _ book: RuleBook) throws -> ChipSpec {
        if let name = try body.text("name", in: "classify") {
            do { return try book.catalog.lookup(name) } catch {
                throw ServiceError(.badRequest, error.description, field: "name", value: name)
            }
        }
        guard let tpp = try number(body["tpp"], "tpp") else {
            throw ServiceError(.badRequest, "classify: give \"name\" (a catalog chip) or \"tpp\" (and die_area_mm2, datacenter)", field: "name")
        }
        var datacenter = true
        if let value = body["datacenter"] {
            switch value {
            case let .bool(b): datacenter = b
            case .null: break
            default: throw ServiceError(.badRequest, "datacenter must be true or false", field: "datacenter")
            }
        }
        var sources = ["tpp": "request", "datacenter": body["datacenter"] == nil ? "default: designed for datacenters" : "request"]
        let die = try number(body["die_area_mm2"], "die_area_mm2"), link = try number(body["interconnect_gbps"], "interconnect_gbps")
        let dram = try number(body["dram_bandwidth_gbps"], "dram_bandwidth_gbps")
        if die != nil { sources["die_area_mm2"] = "request" }
        if link != nil { sources["interconnect_gbps"] = "request" }
        if dram != nil { sources["dram_bandwidth_gbps"] = "request" }
        return ChipSpec(name: "uncatalogued chip", tpp: tpp, dieAreaMM2: die?.value, datacenter: datacenter,
                        interconnectGBps: link?.value, dramBandwidthGBps: dram?.value, sources: sources)
    }
}
