import Foundation
import Mustache

/// Renders the dashboard's pages to complete HTML documents (UTF-8 strings).
///
/// Templates are Mustache files bundled with the module (`Resources/templates`); every value is
/// HTML-escaped by `{{value}}`. The only unescaped insertions are markup this module or the
/// simulator built (page bodies, SVG charts). Pages link one stylesheet and one script from
/// `/static/` (``DashboardAssets``), use no inline script or style, and so run under a
/// `Content-Security-Policy: default-src 'self'`.
///
/// Load the renderer once and share it (it is immutable and `Sendable`):
///
/// ```swift
/// let renderer = try DashboardRenderer()
/// let html = renderer.render(HoldsPage(filter: .open, counts: counts, holds: holds), chrome: chrome)
/// // respond 200, Content-Type: text/html; charset=utf-8
/// ```
public struct DashboardRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads and parses the bundled templates.
    /// - Throws: ``DashboardError`` naming the template file that is missing or does not parse.
    public init() throws(DashboardError) {
        var library = MustacheLibrary()
        for name in DashboardRenderer.templateNames {
            let path = DashboardResources.path("templates/\(name).mustache")
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw DashboardError("\(path): template not found (is the Dashboard resource bundle installed?)")
            }
            do {
                try library.register(text, named: name)
            } catch {
                throw DashboardError("\(path): template does not parse: \(error)")
            }
        }
        self.library = library
    }

    static let templateNames = ["layout", "login", "holds", "hold", "memo", "memo_body", "caps", "rules", "simulator", "error"]

    public func render(_ page: LoginPage, chrome: PageChrome) -> String {
        document(title: "Sign in", section: nil, template: "login", context: LoginContext(page, chrome: chrome), chrome: chrome)
    }

    public func render(_ page: HoldsPage, chrome: PageChrome) -> String {
        document(title: "Holds", section: .holds, template: "holds", context: HoldsContext(page), chrome: chrome)
    }

    public func render(_ page: HoldDetailPage, chrome: PageChrome) -> String {
        document(title: "Hold \(page.hold.id)", section: .holds, template: "hold", context: HoldContext(page, chrome: chrome), chrome: chrome)
    }

    public func render(_ page: MemoPage, chrome: PageChrome) -> String {
        document(title: "Determination memo \(page.determination.id), run \(page.run)", section: .holds, template: "memo",
                 context: MemoContext(page, standalone: true), chrome: chrome)
    }

    public func render(_ page: CapsPage, chrome: PageChrome) -> String {
        document(title: "Cap balances", section: .caps, template: "caps", context: CapsContext(page), chrome: chrome)
    }

    public func render(_ page: RulesPage, chrome: PageChrome) -> String {
        document(title: "Rules", section: .rules, template: "rules", context: RulesContext(page), chrome: chrome)
    }

    public func render(_ page: SimulatorPage, chrome: PageChrome) -> String {
        document(title: "Simulator", section: .simulator, template: "simulator", context: SimulatorContext(page, chrome: chrome), chrome: chrome)
    }

    public func render(_ page: ErrorPage, chrome: PageChrome) -> String {
        document(title: "Error \(page.status)", section: nil, template: "error", context: page, chrome: chrome)
    }

    private func document(title: String, section: NavSection?, template: String, context: Any, chrome: PageChrome) -> String {
        let body = library.render(context, withTemplate: template) ?? ""
        let layout = LayoutContext(title: title, section: section, chrome: chrome, body: body)
        return library.render(layout, withTemplate: "layout") ?? body
    }
}

/// A problem with the dashboard's own files (a template missing or malformed).
public struct DashboardError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The module's bundled resources (`Resources/templates`, `Resources/static`).
enum DashboardResources {
    /// Absolute path of the bundled `Resources` directory. On Linux `Bundle.resourceURL` of a
    /// flat bundle may already end in `Resources`; look for a known file instead of assuming the layout.
    static let root: String = {
        let candidates = [Bundle.module.bundleURL.appendingPathComponent("Resources"),
                          Bundle.module.resourceURL?.appendingPathComponent("Resources"),
                          Bundle.module.resourceURL].compactMap { $0 }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("templates/layout.mustache").path) {
            return candidate.path
        }
        return candidates[0].path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }
}
