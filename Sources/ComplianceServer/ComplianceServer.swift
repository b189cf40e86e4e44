import ComplianceService
import Dashboard
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import ServiceLifecycle

/// Where and how the server listens.
public struct ServerOptions: Sendable {
    public var host: String
    /// 0: any free port (the one chosen is printed and passed to `onListening`).
    public var port: Int
    /// The dashboard's CSRF secret (32 bytes or more), the same on every instance behind one load
    /// balancer; nil: a random one per process (one instance).
    public var dashboardSecret: [UInt8]?

    public init(host: String = "127.0.0.1", port: Int = 8080, dashboardSecret: [UInt8]? = nil) {
        self.host = host
        self.port = port
        self.dashboardSecret = dashboardSecret
    }
}

/// `ai-diffusion serve`: the compliance service over HTTP (Hummingbird 2). Stateless: every piece
/// of state is in the ledger, so any number of instances can share one PostgreSQL database.
///
/// ```swift
/// let service = try ComplianceService(book: book, ledger: "ledger.sqlite", create: true, connections: 4)
/// try await ComplianceServer.run(service: service, options: ServerOptions(port: 8080))   // until SIGTERM
/// ```
public enum ComplianceServer {
    /// The router: every ``APIRoutes`` route and every ``DashboardSite`` page route, behind the
    /// metrics middleware and the token authenticator. `POST /login` and `POST /logout` are the
    /// dashboard's (its handler also takes the API's JSON login). `dashboard` nil: a site with a
    /// random CSRF secret. `extraRoutes` adds routes of other adapters, which get the same context:
    /// `context.identity` is the token's principal.
    public static func router(service: ComplianceService, metrics: ServiceMetrics, dashboard: DashboardSite? = nil,
                              extraRoutes: (Router<APIContext>) -> Void = { _ in }) -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: TokenAuthenticator(service: service))
        let site: DashboardSite
        do { site = try dashboard ?? DashboardSite(service: service) } catch {
            fatalError("the dashboard cannot start: \(error)")   // templates are bundled: a broken build
        }
        let pages = site.routes
        let pageKeys = Set(pages.map { "\($0.method) \($0.path)" })
        for route in APIRoutes.all(service: service, metrics: metrics) where !pageKeys.contains("\(route.method) \(route.path)") {
            router.on(RouterPath(route.routerPath), method: route.method) { request, context -> Response in
                var request = request
                do {
                    var principal: Principal?
                    if let permission = route.permission {
                        guard let identity = context.identity else {
                            throw ServiceError(.unauthorized, context.credentialProblem ?? "this route needs a bearer token (Authorization: Bearer TOKEN)")
                        }
                        try service.authorize(identity, permission)
                        principal = identity
                    }
                    return try await route.handler(&request, context, principal)
                } catch {
                    return Reply.error(ServiceError.from(error))
                }
            }
        }
        for page in pages {
            router.on(RouterPath(APIRoute.routerPath(page.path)), method: page.method) { request, context -> Response in
                var request = request
                let principal = context.identity
                do {
                    if let permission = page.permission {
                        guard let principal else {
                            // No session (or a bad one): sign in first, then come back.
                            let next = DashboardSite.target(request).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                            return DashboardSite.redirect(DashboardRoutes.login + "?next=" + next)
                        }
                        try service.authorize(principal, permission)
                    }
                    return try await page.handler(&request, context, principal)
                } catch {
                    return site.errorPage(error, request, principal)
                }
            }
        }
        extraRoutes(router)
        return router
    }

    /// The application: the router on `options`' address; prints `listening on http://HOST:PORT`
    /// to standard error once bound and calls `onListening` with the port.
    public static func application(service: ComplianceService, options: ServerOptions, metrics: ServiceMetrics = ServiceMetrics(),
                                   extraRoutes: @escaping (Router<APIContext>) -> Void = { _ in },
                                   onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "ai-diffusion.serve")
        logger.logLevel = .warning
        let host = options.host
        let site: DashboardSite?
        do { site = try DashboardSite(service: service, secret: options.dashboardSecret) } catch {
            fatalError("the dashboard cannot start: \(error)")   // checked by the serve command before
        }
        return Application(
            router: router(service: service, metrics: metrics, dashboard: site, extraRoutes: extraRoutes),
            configuration: .init(address: .hostname(host, port: options.port), serverName: "ai-diffusion"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                FileHandle.standardError.write(Data("listening on http://\(host):\(port)\n".utf8))
                onListening(port)
            },
            logger: logger
        )
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully (swift-service-lifecycle: the
    /// listener closes, requests in flight finish).
    public static func run(service: ComplianceService, options: ServerOptions,
                           extraRoutes: @escaping (Router<APIContext>) -> Void = { _ in }) async throws {
        try await application(service: service, options: options, extraRoutes: extraRoutes).runService()
    }
}
