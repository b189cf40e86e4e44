import AllocationLedger
import ComplianceService
import ComputeMetrics
import Dashboard
import DiffusionRules
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The dashboard's page handlers: parse the request, call the application layer on a blocking
/// thread, map its records to a view model (``PageViews``) and render it. Roles as in the API:
/// officers decide holds, auditors read, a screener gets 403 pages for the queue.
enum DashboardPages {
    static func routes(_ site: DashboardSite) -> [PageRoute] {
        let service = site.service
        return [
            PageRoute(method: .get, path: DashboardRoutes.login, permission: nil) { request, _, principal in
                try loginPage(site, request, principal)
            },
            PageRoute(method: .post, path: DashboardRoutes.login, permission: nil) { request, _, principal in
                try await login(site, &request, principal)
            },
            PageRoute(method: .post, path: DashboardRoutes.logout, permission: nil) { request, _, principal in
                if request.headers[.authorization] == nil, request.cookies[TokenAuthenticator.cookie] != nil {
                    try site.verifyCSRF(try await DashboardSite.form(&request), request)
                }
                return Session.logout()
            },
            PageRoute(method: .get, path: DashboardRoutes.root, permission: .reference) { _, _, principal in
                DashboardSite.redirect(DashboardSite.landing(principal!.role))
            },
            PageRoute(method: .get, path: DashboardRoutes.holds, permission: .readHolds) { request, _, principal in
                let status = try request.query("status").map { text -> LedgerHoldStatus in
                    guard let status = LedgerHoldStatus(rawValue: text) else {
                        throw ServiceError(.badRequest, "status \"\(text)\" is not open, escalated, released or rejected", field: "status", value: text)
                    }
                    return status
                }
                let (holds, counts) = try await Blocking.run { (try service.holds(status: status), try service.holdCounts()) }
                var shown: [Dashboard.HoldStatus: Int] = [:]
                for (status, count) in counts { if let s = Dashboard.HoldStatus(rawValue: status.rawValue) { shown[s] = count } }
                let page = HoldsPage(filter: status.flatMap { Dashboard.HoldStatus(rawValue: $0.rawValue) }, counts: shown,
                                     holds: holds.compactMap { PageViews.hold($0, book: service.book) })
                return site.html(site.renderer.render(page, chrome: site.chrome(request, principal)))
            },
            PageRoute(method: .get, path: "/holds/{id}", permission: .readHolds) { request, context, principal in
                let id = try Params.id(context, "id")
                var page = try await holdPage(site, id, principal!)
                let notice = outcome(page.hold, done: request.query("done"))
                page.form = DecisionFormValues()
                return site.html(site.renderer.render(page, chrome: site.chrome(request, principal, notice: notice)))
            },
            PageRoute(method: .post, path: "/holds/{id}/decision", permission: .decideHolds) { request, context, principal in
                try await decide(site, &request, context, principal!)
            },
            PageRoute(method: .get, path: "/memo/{run}/{row}", permission: .readRuns) { request, context, principal in
                let run = try Params.id(context, "run")
                let raw = context.parameters.get("row") ?? ""
                let row = raw.removingPercentEncoding ?? raw
                let memo = try await Blocking.run { try service.memo(run: run, row: row) }
                let page = PageViews.memo(memo, names: site.countryNames, book: site.service.book)
                return site.html(site.renderer.render(page, chrome: site.chrome(request, principal)))
            },
            PageRoute(method: .get, path: DashboardRoutes.caps, permission: .readCaps) { request, _, principal in
                let readsLicences = principal!.role.allows(.readLicences)
                let page = try await Blocking.run {
                    PageViews.caps(try service.caps(), bases: try service.installedBases(),
                                   licences: readsLicences ? try service.licences() : [], names: site.countryNames, asOf: service.clock())
                }
                return site.html(site.renderer.render(page, chrome: site.chrome(request, principal)))
            },
            PageRoute(method: .get, path: DashboardRoutes.rules, permission: .reference) { request, _, principal in
                site.html(site.renderer.render(try rulesPage(site, request), chrome: site.chrome(request, principal)))
            },
            PageRoute(method: .get, path: DashboardRoutes.simulator, permission: .reference) { request, _, principal in
                let query = try DashboardSite.query(request)
                let page = try await Blocking.run { try site.simulator.page(query: query) }
                return site.html(site.renderer.render(page, chrome: site.chrome(request, principal)),
                                 status: page.error == nil ? .ok : .badRequest)
            },
            PageRoute(method: .post, path: DashboardRoutes.simulator, permission: .reference) { request, _, principal in
                let form = try await DashboardSite.form(&request)
                try site.verifyCSRF(form, request)
                let levers = try await Blocking.run { try site.simulator.levers() }
                do throws(FormError) {
                    let run = try SimulatorRequest.decode(form, levers: levers.map(\.id), defaultSeed: SimulatorPages.defaultSeed)
                    return DashboardSite.redirect(DashboardRoutes.simulator + "?" + run.query)
                } catch {
                    let page = SimulatorPage(levers: levers, request: SimulatorPages.defaultRequest(levers), error: error.description)
                    return site.html(site.renderer.render(page, chrome: site.chrome(request, principal)), status: .badRequest)
                }
            },
            PageRoute(method: .get, path: "/static/{file}", permission: nil) { request, context, _ in
                guard let asset = DashboardAssets.file(named: context.parameters.get("file") ?? "") else {
                    throw ServiceError(.notFound, "no file \(request.uri.path) on this site")
                }
                var headers = DashboardSite.securityHeaders
                headers[.eTag] = asset.etag
                headers[.cacheControl] = "no-cache"
                if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
                headers[.contentType] = asset.contentType
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
            },
        ]
    }

    // MARK: - Sign-in

    /// The sign-in form. Without a session cookie it sets a random pre-session cookie, the CSRF
    /// session of the form.
    static func loginPage(_ site: DashboardSite, _ request: Request, _ principal: Principal?, error: String? = nil,
                          status: HTTPResponse.Status = .ok) throws -> Response {
        let next = LoginForm.safeNext(request.query("next") ?? DashboardRoutes.root)
        var chrome = site.chrome(request, nil)
        var cookie: Cookie?
        if DashboardSite.csrfSession(request) == nil {
            var generator = SystemRandomNumberGenerator()
            let value = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
            cookie = Cookie(name: DashboardSite.preSessionCookie, value: value, path: "/", httpOnly: true, sameSite: .strict)
            chrome.csrfToken = site.csrf.token(session: "pre:" + value, issuedAt: DashboardSite.now)
        }
        var response = site.html(site.renderer.render(LoginPage(error: error, next: next), chrome: chrome), status: status)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// `POST /login`: the form (CSRF-checked; a good token sets the session cookie and redirects to
    /// `next`, a bad one is a 401 sign-in page) or the API's JSON login.
    static func login(_ site: DashboardSite, _ request: inout Request, _ principal: Principal?) async throws -> Response {
        guard DashboardSite.isForm(request) else {
            do { return try await Session.login(&request, site.service) } catch { return Reply.error(ServiceError.from(error)) }
        }
        let form = try await DashboardSite.form(&request)
        try site.verifyCSRF(form, request)
        let login: LoginForm
        do throws(FormError) { login = try LoginForm.decode(form) } catch {
            return try loginPage(site, request, nil, error: error.description, status: .badRequest)
        }
        let service = site.service
        let token = login.token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let signedIn = try? await Blocking.run({ try service.authenticate(token) }) else {
            return try loginPage(site, request, nil, error: "That token is not valid (unknown or revoked).", status: .unauthorized)
        }
        var response = DashboardSite.redirect(login.next == DashboardRoutes.root ? DashboardSite.landing(signedIn.role) : login.next)
        // Behind a TLS-terminating proxy (X-Forwarded-Proto: https) the cookie is also Secure.
        let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        response.setCookie(Cookie(name: TokenAuthenticator.cookie, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .strict))
        response.setCookie(Cookie(name: DashboardSite.preSessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    // MARK: - Holds

    static func holdPage(_ site: DashboardSite, _ id: Int64, _ principal: Principal) async throws -> HoldDetailPage {
        let service = site.service
        let (memo, licences) = try await Blocking.run { (try service.memo(hold: id), try service.licences()) }
        guard let hold = memo.hold, let summary = PageViews.hold(hold, book: service.book) else {
            throw ServiceError(.unavailable, "hold \(id): its determination is unreadable; run `ledger verify`")
        }
        return HoldDetailPage(hold: summary, memo: PageViews.memo(memo, names: site.countryNames, book: site.service.book),
                              licences: licences.filter { $0.status == "active" }.map(PageViews.licence),
                              canDecide: principal.role.allows(.decideHolds) && hold.status.isPending)
    }

    /// The notice after a decision's redirect (`?done=release`), when the hold shows that outcome.
    static func outcome(_ hold: HoldSummary, done: String?) -> Notice? {
        guard let done, let decision = hold.decision, decision.action.rawValue == done else { return nil }
        switch decision.action {
        case .release: return Notice(.success, "Hold \(hold.id) (row \(hold.row)) released against licence \(decision.licenceNumber ?? "")")
        case .reject: return Notice(.success, "Hold \(hold.id) (row \(hold.row)) rejected")
        case .escalate: return Notice(.success, "Hold \(hold.id) (row \(hold.row)) escalated")
        }
    }

    /// `POST /holds/{id}/decision`: CSRF, the form, then the service's decision. Done: 303 to the
    /// hold (Post/Redirect/Get). A bad form (400) or a refusal by the ledger (409: licence used up or
    /// expired, hold already decided) shows the hold again with the message and what was typed;
    /// nothing is recorded.
    static func decide(_ site: DashboardSite, _ request: inout Request, _ context: APIContext, _ principal: Principal) async throws -> Response {
        let id = try Params.id(context, "id")
        let form = try await DashboardSite.form(&request)
        try site.verifyCSRF(form, request)
        let service = site.service
        do {
            let decision = try decisionRequest(form)
            _ = try await Blocking.run {
                try service.decide(hold: id, action: LedgerHoldAction(rawValue: decision.action.rawValue)!,
                                   licence: decision.licence.map(licenceChoice), note: decision.note, by: principal)
            }
            return DashboardSite.redirect(DashboardRoutes.hold(id) + "?done=" + decision.action.rawValue)
        } catch {
            let refusal = ServiceError.from(error)
            if refusal.kind == .notFound || refusal.kind == .forbidden || refusal.kind == .unavailable || refusal.kind == .internalError { throw refusal }
            var page = try await holdPage(site, id, principal)
            page.form = DecisionFormValues(form: form)
            page.formError = refusal.message
            return site.html(site.renderer.render(page, chrome: site.chrome(request, principal)), status: Reply.status(of: refusal.kind))
        }
    }

    static func decisionRequest(_ form: FormBody) throws -> HoldDecisionRequest {
        do throws(FormError) { return try DecisionForm.decode(form) } catch {
            throw ServiceError(.badRequest, error.description, field: error.field, value: error.value)
        }
    }

    static func licenceChoice(_ choice: Dashboard.LicenceChoice) -> LedgerLicenceChoice {
        switch choice {
        case let .existing(number): return .existing(number)
        case let .new(licence):
            let (unit, limit): (LicenceUnit, TPP)
            switch licence.limit {
            case let .tpp(value): (unit, limit) = (.tpp, value)
            case let .units(count): (unit, limit) = (.units, TPP(whole: count))
            }
            return .new(LicenceSpec(number: licence.number, issued: licence.issued, expires: licence.expires, unit: unit, limit: limit))
        }
    }

    // MARK: - Rules

    /// Tiers of `regime` (default ai-diffusion-2025) on `as_of` (default today), the layers, and
    /// the diff of `a` and `b` (default `enforced` and `ai-diffusion-2025`; a bad side is shown on
    /// the page, not a 400).
    static func rulesPage(_ site: DashboardSite, _ request: Request) throws -> RulesPage {
        let service = site.service
        let day = try Params.day(request.query("as_of"), "as_of") ?? service.today
        let regime = request.query("regime") ?? "ai-diffusion-2025"
        let view = try service.regime(regime).view(on: day)
        let a = request.query("a") ?? "enforced", b = request.query("b") ?? "ai-diffusion-2025"
        var page = RulesPage(asOf: day, regimes: service.book.regimes.keys.sorted(),
                             tiers: TierTable(view: view, registry: service.book.registry),
                             layers: service.book.layersByDate, diffA: a, diffB: b)
        do { page.diff = try service.diff(a, b, on: day) } catch { page.diffError = ServiceError.from(error).message }
        return page
    }
}
