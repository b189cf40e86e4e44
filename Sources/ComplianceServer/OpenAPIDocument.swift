import Foundation

/// The OpenAPI 3.1 document served at `GET /openapi.json` (`Resources/openapi.json`, kept by
/// hand next to ``APIRoutes``; a test checks that its paths and the router's routes are the same
/// set and that its example responses validate against its schemas).
public enum OpenAPIDocument {
    public static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else { return Array("{}".utf8) }
        return Array(data)
    }()
}
