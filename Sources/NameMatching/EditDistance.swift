/// Edit distance and "did you mean" suggestions for names typed by people (chip names, column
/// names, country codes).
///
/// ```swift
/// EditDistance.levenshtein("H10", "H100")                      // 1
/// EditDistance.closest(to: "destinaton", in: ["destination"])  // "destination"
/// ```
public enum EditDistance {
    /// Levenshtein distance between two strings, by UTF-8 byte (names here are ASCII).
    public static func levenshtein(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidate closest to `name` (case-insensitive) within `maxDistance` edits, ties broken
    /// alphabetically; nil when none is close enough.
    public static func closest(to name: String, in candidates: [String], maxDistance: Int = 3) -> String? {
        ranked(name, among: candidates, maxDistance: maxDistance, limit: 1).first
    }

    /// Up to `limit` candidates within `maxDistance` edits of `name`, closest first.
    ///
    /// `key` maps both the typed name and each candidate to the form compared (default: lower-cased).
    /// A candidate that starts with the typed key counts as closest; one that contains it, as close.
    public static func ranked(_ name: String, among candidates: [String], maxDistance: Int, limit: Int,
                              key: (String) -> String = { $0.lowercased() }) -> [String] {
        let typed = key(name)
        guard !typed.isEmpty else { return [] }
        var scored: [(String, Int)] = []
        var seen = Set<String>()
        for candidate in candidates where seen.insert(candidate).inserted {
            let other = key(candidate)
            var distance = levenshtein(typed, other)
            if !other.isEmpty, other.hasPrefix(typed) || typed.hasPrefix(other) {
                distance = min(distance, abs(other.count - typed.count) / 3)
            } else if !other.isEmpty, other.contains(typed) || typed.contains(other) {
                distance = min(distance, 1 + abs(other.count - typed.count) / 3)
            }
            if distance <= maxDistance { scored.append((candidate, distance)) }
        }
        return scored
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit)
            .map(\.0)
    }
}
