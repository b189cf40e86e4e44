import Foundation
import Hummingbird
import Logging

/// The peer `bench serve` measures the service against: a Hummingbird hello-world route
/// (`GET /hello` → `Hello, world!`) with Hummingbird's defaults and no middleware.
public enum HelloWorld {
    public static func run(host: String = "127.0.0.1", port: Int) async throws {
        let router = Router()
        router.get("/hello") { _, _ in "Hello, world!" }
        var logger = Logger(label: "hello")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { channel in
                                  FileHandle.standardError.write(Data("listening on http://\(host):\(channel.localAddress?.port ?? port)\n".utf8))
                              }, logger: logger)
        try await app.runService()
    }
}
