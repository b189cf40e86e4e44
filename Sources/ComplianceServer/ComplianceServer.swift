import ComplianceService
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

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
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
    /// The router: every ``APIRoutes`` route, behind the metrics middleware and the token
    /// authenticator. `extraRoutes` adds routes of other adapters (the dashboard's HTML pages),
    /// which get the same context: `context.identity` is the token's principal.
    public static func router(service: ComplianceService, metrics: ServiceMetrics,
                              extraRoutes: (Router<APIContext>) -> Void = { _ in }) -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: TokenAuthenticator(service: service))
        for route in APIRoutes.all(service: service, metrics: metrics) {
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
        return Application(
            router: router(service: service, metrics: metrics, extraRoutes: extraRoutes),
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
