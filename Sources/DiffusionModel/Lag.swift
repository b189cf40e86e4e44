import Foundation

/// The core lag equation (spec §3.4 eq. 6): find L >= 0 with
/// `log10 C_a(t) + R_a * L = log10 C_F(t - L)`.
public enum LagSolver {
    /// Closed form for a frontier that grows at a constant `gc` OOM/yr:
    /// `L = max(0, log10(C_F / C_a)) / (G_c + R)` in **years**.
    @inline(__always)
    public static func closedFormYears(logFrontier: Double, logActor: Double, gc: Double, r: Double) -> Double {
        max(0, logFrontier - logActor) / (gc + r)
    }

    /// Months of lag bought per 10x training-compute deficit: `12 / (G_c + R)`.
    public static func monthsPerOOM(gc: Double, r: Double) -> Double { 12 / (gc + r) }

    /// Solves the equation on a stored frontier path, in **years**.
    ///
    /// `path[j]` is log10 of the frontier's training compute at the end of quarter j (spacing `dt`
    /// years); the lag is measured at the end of quarter `q`. Between nodes the path is linear in log
    /// space; before node 0 it is extended backwards at `gc` OOM/yr. The search bisects over the
    /// stored nodes for the bracketing segment (keeping f(lo) > 0 >= f(hi)), then solves the segment
    /// exactly, so the result equals the closed form when the path grows at a constant rate.
    @inline(__always)
    public static func bisectionYears(path: UnsafePointer<Double>, q: Int, dt: Double, logActor: Double, r: Double, gc: Double) -> Double {
        // f(k) = path[q-k] - logActor - r*k*dt, decreasing in k when the path is non-decreasing.
        let f0 = path[q] - logActor
        if f0 <= 0 { return 0 }
        let fq = path[0] - logActor - r * Double(q) * dt
        if fq > 0 {
            // Root lies before the stored path: extend back at gc.
            return (path[0] + gc * Double(q) * dt - logActor) / (gc + r)
        }
        var lo = 0, hi = q
        var flo = f0, fhi = fq
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            let fm = path[q - mid] - logActor - r * Double(mid) * dt
            if fm > 0 { lo = mid; flo = fm } else { hi = mid; fhi = fm }
        }
        return (Double(lo) + flo / (flo - fhi)) * dt
    }

    /// Convenience over an array (tests, reports).
    public static func bisectionYears(path: [Double], q: Int, dt: Double = SimulationCalendar.dt, logActor: Double, r: Double, gc: Double) -> Double {
        path.withUnsafeBufferPointer { bisectionYears(path: $0.baseAddress!, q: q, dt: dt, logActor: logActor, r: r, gc: gc) }
    }
}
