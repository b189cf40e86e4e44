import DiffusionModel
import Testing

@Suite struct LagTests {
    @Test(arguments: [(0.65, 1.3, 1.3), (0.54, 0.9, 2.0), (0.74, 1.8, 0.4), (0.65, 0.45, 3.1)])
    func closedFormEqualsBisectionOnConstantGrowthPath(gc: Double, r: Double, gapOOM: Double) {
        let dt = SimulationCalendar.dt
        let path = (0..<52).map { 25.0 + gc * Double($0 + 1) * dt }
        for q in [4, 11, 31, 51] {
            let logActor = path[q] - gapOOM
            let closed = LagSolver.closedFormYears(logFrontier: path[q], logActor: logActor, gc: gc, r: r)
            let bisect = LagSolver.bisectionYears(path: path, q: q, logActor: logActor, r: r, gc: gc)
            #expect(abs(closed - bisect) < 1e-9, "q=\(q): closed \(closed) vs bisection \(bisect)")
        }
    }

    @Test func tenfoldComputeGapCostsTwelveOverGcPlusRMonths() {
        for (gc, r) in [(0.65, 1.3), (0.65, 0.45), (0.54, 1.8)] {
            let path = (0..<52).map { 24.0 + gc * Double($0 + 1) * SimulationCalendar.dt }
            let months = 12 * LagSolver.bisectionYears(path: path, q: 20, logActor: path[20] - 1, r: r, gc: gc)
            #expect(abs(months - 12 / (gc + r)) < 1e-9)
            #expect(abs(LagSolver.monthsPerOOM(gc: gc, r: r) - 12 / (gc + r)) < 1e-12)
        }
    }

    @Test func workedExampleGivesAboutEightMonths() {
        // Spec §3.10: G_c = log10 4.5, R = 1.3, C_US/C_CN = 20.
        let years = LagSolver.closedFormYears(logFrontier: 26.69897, logActor: 25.39794, gc: 0.6532125137753437, r: 1.3)
        #expect(abs(12 * years - 8.0) < 0.1)
    }

    @Test func aheadOfTheFrontierMeansNoLag() {
        let path = (0..<8).map { 25.0 + 0.65 * Double($0) * 0.25 }
        #expect(LagSolver.bisectionYears(path: path, q: 5, logActor: path[5] + 0.1, r: 1, gc: 0.65) == 0)
    }

    /// Deployment-scale months: the delay to reach the baseline's level on a path growing 1 OOM a year.
    @Test func deploymentDelayReadsTheBaselinePath() {
        let base = (0..<10).map { 6.0 + Double($0) }
        #expect(abs(deploymentDelayMonths(baseline: base, value: base[5] - 0.5, year: 5) - 6) < 1e-12)
        #expect(abs(deploymentDelayMonths(baseline: base, value: base[5] + 0.25, year: 5) + 3) < 1e-12)
        #expect(deploymentDelayMonths(baseline: base, value: base[5], year: 5) == 0)
    }
}
