import Crypto
import Foundation

/// The dashboard's static files, served at `GET /static/{file}`: a stylesheet, a script and an
/// icon, bundled with the module. Only these names resolve (no paths, so no traversal).
///
/// ```swift
/// if let asset = DashboardAssets.file(named: "dashboard.css") {
///     // 200, Content-Type: asset.contentType, ETag: asset.etag, body: asset.bytes
/// } else {
///     // 404
/// }
/// ```
public enum DashboardAssets {
    public static let stylesheet = "dashboard.css"
    public static let script = "dashboard.js"
    public static let icon = "favicon.svg"

    public struct Asset: Sendable, Hashable {
        public var name: String
        public var contentType: String
        public var bytes: [UInt8]
        /// A strong ETag: the first 16 hex digits of the file's SHA-256, quoted.
        public var etag: String
    }

    /// Every asset, read once from the bundle.
    public static let all: [String: Asset] = {
        var assets: [String: Asset] = [:]
        for (name, type) in [(stylesheet, "text/css; charset=utf-8"), (script, "text/javascript; charset=utf-8"),
                           (icon, "image/svg+xml")] {
            guard let data = FileManager.default.contents(atPath: DashboardResources.path("static/\(name)")) else { continue }
            let digest = SHA256.hash(data: data).prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            assets[name] = Asset(name: name, contentType: type, bytes: Array(data), etag: "\"\(digest)\"")
        }
        return assets
    }()

    /// The asset called `name`, or nil (answer 404).
    public static func file(named name: String) -> Asset? { all[name] }
}
