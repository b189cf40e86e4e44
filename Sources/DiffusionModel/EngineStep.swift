import Foundation

/// Names of a trace row's values (``DrawSimulator/trace``), in order; `d0`, `d1`, ... are the lag
/// domains. The numpy reference (`scripts/reference_engine.py`) recomputes every one.
public func traceNames(lagDomains nd: Int) -> [String] {
    var n = ["scenario", "quarter"]
    n += Actor.list.map { "stock_\($0.rawValue)" } + ["cn_domestic", "cn_imports", "cn_smuggled"]
    n += ["talent_US", "talent_CN", "alg_dev"] + Actor.list.map { "log10_run_\($0.rawValue)" } + ["frontier_path"]
    n += ["cn_import_rate", "cn_domestic_rate", "cn_smuggling_rate", "cn_cloud", "substitution_log", "enforcement_years", "cn_efficiency"]
    n += Actor.list.map { "distillation_\($0.rawValue)" } + Actor.list.map { "open_proximity_\($0.rawValue)" } + Actor.list.map { "boost_driver_\($0.rawValue)" }
    for d in 0..<nd {
        n += Actor.list.map { "d\(d)_catchup_\($0.rawValue)" } + Actor.list.map { "d\(d)_own_lag_\($0.rawValue)" }
        n += ["d\(d)_release_US", "d\(d)_release_CN", "d\(d)_release_T1", "d\(d)_release_GULF", "d\(d)_open_lag"]
        n += Actor.list.map { "d\(d)_lag_\($0.rawValue)" }
    }
    n += ["open_origin", "vendor_revenue_rate", "minerals_gdp_rate", "minerals_penalty_US", "minerals_penalty_other"]
    return n
}

extension DrawSimulator {
    /// Steps quarters `from..<to` under scenario `s`. Equation numbers refer to spec §3.4; the open
    /// frontier, capability domains and responses are this version's (docs/simulator.md).
    func simulate(scenario s: Int, from: Int, to: Int, hindcastStats: Bool) {
        let cal = model.calendar
        let dt = SimulationCalendar.dt
        let policy = model.policy[s]
        let us = Actor.us.index, t1 = Actor.t1.index, cn = Actor.cn.index, ru = Actor.ru.index, gulf = Actor.gulf.index, row = Actor.row.index
        let packs = model.inputs.packs, reference = model.inputs.referencePack
        let responses = model.inputs.responses
        // Per-draw constants read once.
        let price = p(.pricePerH100e), h20Price = p(.h20Price), h200Price = p(.h200Price)
        let uncShare = p(.cnUnconstrainedDemandShare), accept = p(.acceptCN)
        let h800 = p(.h800AccessShare), h200 = p(.h200AccessShare), b30a = p(.b30aAccessShare)
        let h20Units = p(.h20Units2024), h20Train = p(.h20TrainH100e)
        let packages2025 = p(.huaweiPackages2025), ascend = p(.ascendH100ePerPackage)
        let hbmPackageCap = p(.hbmStacks2026) / max(p(.hbmStacksPerPackage), 1e-9)
        let smug2024 = p(.smuggledChips2024) * p(.smuggledH100ePerChip), psi = p(.smuggleHubElasticity), enf = p(.enforcementEffect)
        let smugCap = p(.smugglingMaxUnmetShare)
        let h800Era = p(.smugglingH800EraFactor)
        let chi = responses.smugglingResponse ? p(.smugglingDeniedElasticity) : 0
        let adapt = responses.smugglingResponse ? p(.smugglingAdaptation) : 0
        let epsilon = responses.domesticSubstitution ? p(.substitutionElasticity) : 0
        let divShare = p(.deniedDiversionShare)
        let effLongRun = p(.cnEfficiencyLongRun), effTau = p(.efficiencyAdjustmentYears)
        let effResponse = p(.efficiencyScarcityResponse)
        let approval = [1.0, p(.approvalPresumptionApproval), p(.approvalCaseByCase), p(.approvalPresumptionDenial), 0]
        let cloud2025 = p(.offshoreCloudCN2025), phi = p(.cloudTrainWeight), kyc = p(.kycEffectiveness)
        let ruShare = p(.ruDemandShare) * p(.ruLeakShare)
        let L = model.sampler.layout
        let wPub = params[L.tauBase], wDist = params[L.tauBase + 1], wOpen = params[L.tauBase + 2]
        let distillCN = p(.distillationAccessCN), answersShare = p(.distillationAnswersShare), rMax = p(.rMaxCatchup), eta = p(.talentElasticity), boostOOM = p(.followerEfficiencyBoost)
        let proxScale = p(.openProximityScale)
        let inflowUS = p(.newResearcherRate) * p(.cnOriginShare) * p(.usGradShareCN) * p(.stayRateCN)
        let theftRate = p(.theftRate), theftMult = p(.theftMultiplierSL45)
        let theftChanceSL3 = 1 - Foundation.exp(-theftRate * dt), theftChanceSL45 = 1 - Foundation.exp(-theftRate * theftMult * dt)
        let gapCN = (1 - p(.openPropensityCN)) * p(.openWithholdOOM), gapT1 = p(.openGapT1), gapGulf = p(.openGapGulf)
        let usGapScale = p(.usOpenGapScale), usGapProj = p(.usOpenGapProjection), usInterval = p(.usOpenInterval)
        let mWeight = [p(.mineralsPenalty), p(.mineralsPenaltySbGraphite), p(.mineralsPenaltySbGraphite), p(.mineralsTailPenalty)]
        let severity = p(.mineralsLicensingSeverity)
        let gdpGaGe = p(.mineralsGDPLoss), gdpSbGr = p(.mineralsGDPLossSbGraphite), gdpRE = p(.mineralsGDPLossRareEarths)
        let deepseek = Foundation.log10(model.inputs.calibration.deepseek_v3_flop)
        var usShadow = stock[us]   // US stock without minerals measures (check 8)
        var openLagAcc = 0.0, revenueAcc = 0.0, mineralsAcc = 0.0
        var originAcc = [0.0, 0.0, 0.0, 0.0]
        var sumCNLag2023 = 0.0, sumOpen2023 = 0.0, sumCNLag = 0.0, sumOpen = 0.0, sumOpen2025 = 0.0, sumComputeLag = 0.0, fullBanCost2025 = 0.0
        var origin2023US = 0.0, origin2024US = 0.0, origin2025CN = 0.0, unmetAcc = 0.0, blockedAcc = 0.0
        var st = outcome.statistics
        for q in from..<to {
            let ps = policy[q]
            let pk = ps.pack
            let t = cal.midTime(q), tEnd = cal.endTime(q)
            let dW = worldAdd[q]
            let shares = q < hindcast ? demandHist : demandProj
            let pf = priceFactor[q]
            let price = price * pf, h20Price = h20Price * pf, h200Price = h200Price * pf
            // (8) Minerals: each control's level for the US and for other importers, summed over minerals.
            var mUS = 0.0, mOther = 0.0, gdpRate = 0.0
            for k in 0..<Mineral.count {
                var lUS = 0.0, lOther = 0.0
                switch ps.mineral(k) {
                case .none: break
                case .licensing: lUS = severity; lOther = severity
                case .usBan: lUS = 1; lOther = severity
                case .extraterritorial: lUS = 1; lOther = 1
                }
                mUS += lUS * mWeight[k]; mOther += lOther * mWeight[k]
                gdpRate += lUS * (k == 0 ? gdpGaGe : (k == 3 ? gdpRE : gdpSbGr / 2))
            }
            var revenue = 0.0       // USD per year, vendor net
            var hub = 0.0
            // Enforcement's effect decays as smuggling routes adapt (response).
            let enfEff = ps.chipEnforcement ? enf * Foundation.exp(-adapt * enfYears) : 0
            // (1) Hardware, non-China actors: demand-driven additions, minerals penalty, and under a
            // rule pack the granted share of demand relative to the enforced rules (screened shipments).
            for a in 0..<Actor.count where a != cn && a != ru {
                let raw = dW * shares[a]
                let demand = raw * (1 - (a == us ? mUS : mOther))
                var legal = demand, leak = 0.0
                if pk >= 0 && a != us, let reference {
                    let ref = referenceDemandQ(q, a)
                    if ref > 0 {
                        let m = raw / ref
                        let granted = approval.withUnsafeBufferPointer { packs[pk].grantedShare(q: q, actor: a, demandMultiple: m, approval: $0.baseAddress!) }
                        let base = approval.withUnsafeBufferPointer { reference.grantedShare(q: q, actor: a, demandMultiple: m, approval: $0.baseAddress!) }
                        if granted.isFinite && base.isFinite && base > 0 {
                            legal = demand * min(1, granted / base)
                            leak = (demand - legal) * divShare * (1 - enfEff)
                        }
                    }
                }
                if a >= gulf { revenue += legal * price }
                if a == gulf || a == row { hub += legal }
                stock[a] = stock[a] * decayQ + (legal + leak) * dt
                if a == us { usShadow = usShadow * decayQ + raw * dt }
            }
            // Russia: a leaked share of its demand (smuggled servers), cut by enforcement.
            stock[ru] = stock[ru] * decayQ + dW * ruShare * (1 - enfEff) * dt
            // (1) China: legal imports under the regime in force (a rule pack sets it from screening).
            let regime = pk >= 0 ? packs[pk].chinaRegime[q] : ps.cnChipRegime
            let uncon = dW * uncShare
            var imp = 0.0, gross = 0.0
            switch regime {
            case .full: imp = uncon; gross = imp * price
            case .h800: imp = uncon * h800; gross = imp * price
            case .h20: imp = h20Units * h20Train; gross = h20Units * h20Price
            case .none: break
            case .h200: imp = uncon * h200; gross = imp * h200Price
            case .b30a: imp = uncon * b30a; gross = imp * price
            }
            if ps.beijingDiscourages { imp *= accept; gross *= accept }
            revenue += gross * (1 - ps.cnRevenueShare)
            // Domestic production (Huawei Ascend), capped by HBM once the stockpile is used (2026 on);
            // the substitution response scales output and HBM supply alike.
            let subFactor = Foundation.exp(subLog)
            var packages = packages2025 * packageFactor[q] * subFactor
            if ps.hbmControls && t >= 2026 { packages = min(packages, hbmPackageCap * subFactor) }
            let dom = packages * ascend
            // Smuggling grows with hub imports (elasticity psi) and, in the projection, with the
            // volume China is denied (chi); it is capped at a share of the unmet part of China's
            // unconstrained demand (nobody smuggles what can be bought; at most
            // `smuggling_max_unmet_share` of it), and enforcement cuts what would be smuggled. While the H800 was
            // legal (to Nov 2023) it ran at a fraction of that (CNAS: "thousands" of chips in 2023).
            let unmet = max(0, uncon - imp)
            let era = regime == .h800 ? h800Era : 1
            let denied = (q >= hindcast && unmet2024 > 0 && chi > 0) ? Foundation.pow(max(unmet, 1e-9) / unmet2024, chi) : 1
            let smug = min(smugCap * unmet, smug2024 * era * Foundation.pow(max(hub, 1e-9) / hub2024, psi) * denied) * (1 - enfEff)
            cnParts[0] = cnParts[0] * decayQ + dom * dt
            cnParts[1] = cnParts[1] * decayQ + imp * dt
            cnParts[2] = cnParts[2] * decayQ + smug * dt
            stock[cn] = cnParts[0] + cnParts[1] + cnParts[2]
            let blocked = uncon > 0 ? unmet / uncon : 0
            if q >= hindcast { subLog += epsilon * (blocked - blockedRef) * dt }
            // Algorithmic efficiency: Chinese labs' capability per unit compute relative to the frontier
            // relaxes from its 2023 level towards a target that is highest when all their demand is
            // blocked (scarcity drives efficiency work). With the response switched off the projection
            // keeps the 2024-2025 blocked share.
            let scarcity = (q >= hindcast && !responses.efficiencyResponse) ? blockedRef : blocked
            let target = effLongRun - effResponse * (1 - scarcity)
            efficiency += (target - efficiency) / effTau * dt
            if ps.chipEnforcement { enfYears += dt }
            // (2) Cloud: offshore capacity scales with world compute; KYC cuts it.
            let kycCut = ps.cloudKYC ? 1 - kyc : 1
            let cloud = cloud2025 * worldRel[q] * kycCut
            // (5) Talent: visa policy diverts part of the Chinese-origin inflow from the US to China.
            let diverted = ps.visaRestriction * inflowUS * dt
            talent[us] -= diverted; talent[cn] += diverted
            // (pow(1, eta) is exactly 1: skip it while no visa policy has moved the pools.)
            let tUS = talent[us] == talent0US ? 1 : min(1.2, Foundation.pow(max(talent[us], 1e-9) / talent0US, eta))
            let tCN = talent[cn] == talent0CN ? 1 : min(1.2, Foundation.pow(talent[cn] / talent0CN, eta))
            algDev += (ga * tUS - ga) * dt
            // (3) Largest training run; concentration kappa grows at g_c/g_w per year.
            var frontier = -Double.infinity
            var effTotal = 0.0
            for a in 0..<Actor.count {
                let kappa = min(0.5, kappa0[a] * kappaFactor[q])
                let train = stock[a] + (a == cn ? phi * cloud : 0)
                logC[a] = Foundation.log10(max(kappa * train * flopPerH100eRun, 1))
                eff[a] = stock[a] + (a == cn ? cloud : 0)
                effTotal += eff[a]
                frontier = max(frontier, a == us ? logC[a] + algDev : logC[a])
            }
            path[q] = frontier
            let pathPtr = UnsafePointer(path)
            // (4) Diffusion access: distillation D (API outputs; China and Russia through restricted
            // access, cut by KYC) and the level boost B's driver (the distillation environment, times
            // absorptive capacity (China 1), cut by KYC for China and Russia).
            let env = ps.distillation == .reasoning ? 1 : (ps.distillation == .answers ? answersShare : 0)
            for a in 0..<Actor.count {
                let restricted = a == cn || a == ru
                distill[a] = a == us ? 0 : env * (restricted ? distillCN * kycCut : 1)
                boostDriver[a] = a == us ? 0 : env * absorptive[a] * (restricted ? kycCut : 1)
            }
            // Open-weight help O: 1 when the best open model the actor could use last quarter was at
            // the frontier, 0 when it was `open_proximity_scale_months` or more behind (linear between).
            for a in 0..<Actor.count { proximity[a] = a == us ? 0 : min(1, max(0, 1 - usablePrev[a] / proxScale)) }
            let floorScale = 1 / max(ps.publicationOpenness, 0.1)
            // Theft of frontier weights (Poisson): projection only. The hindcast follows the record,
            // which has no known theft of frontier weights in 2023-2025.
            if q >= hindcast && theftU[q] < (ps.labSecurity == .sl45 ? theftChanceSL45 : theftChanceSL3) { lastTheft = tEnd }
            let stolen = lastTheft >= 0 ? 12 * (tEnd - lastTheft) + adopt[cn] : .infinity
            // Periodic US open releases (projection assumption) fire when the clock reaches the interval.
            var periodic = false
            if ps.usPeriodicReleases {
                releaseClock += 3
                if releaseClock >= usInterval { periodic = true; releaseClock -= usInterval }
            }
            var origin = 0
            for d in 0..<nd {
                let off = dOffset[d], floor = dFloor[d] * floorScale
                let cap = path[q]
                // (4) Catch-up speed R and level boost B per actor; (6) own-development lag.
                for a in 0..<Actor.count {
                    let i = a * nd + d
                    let tau = a == us ? 1 : min(1, absorptive[a] * (wPub * ps.publicationOpenness * dPub[d] + wDist * distill[a] * dDist[d] + wOpen * proximity[a] * dOpen[d]))
                    let talentFactor = a == us ? tUS : (a == cn ? tCN : 1)
                    rCatch[i] = (ga + (rMax - ga) * tau) * talentFactor
                    boost[i] = boostOOM * boostDriver[a] * dDist[d] + (a == cn ? efficiency : 0)
                    let x = min(cap, (a == us ? logC[a] + algDev : logC[a] + boost[i]) + off)
                    var lag = 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: x, r: rCatch[i], gc: gc)
                    if a != us { lag = max(lag, floor) }
                    own[i] = lag
                }
                // (7) Open releases: China, Tier-1 and Gulf labs release continuously, withholding
                // their gap; US releases are dated events (history) or periodic (projection) and age.
                func release(_ a: Int, _ gap: Double) -> Double {
                    let i = a * nd + d
                    let x = min(cap, logC[a] + boost[i] - gap * dGap[d] + off)
                    return max(floor, 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: x, r: rCatch[i], gc: gc))
                }
                relCN[d] = release(cn, gapCN); relT1[d] = release(t1, gapT1); relGulf[d] = release(gulf, gapGulf)
                usOpen[d] += 3
                func usRelease(_ gap: Double) -> Double {
                    let x = min(cap, logC[us] + algDev - gap * dGap[d] + off)
                    return 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: x, r: ga * tUS, gc: gc)
                }
                if !ps.usReleaseGap.isNaN { usOpen[d] = min(usOpen[d], usRelease(ps.usReleaseGap * usGapScale)) }
                if periodic { usOpen[d] = min(usOpen[d], usRelease(usGapProj * usGapScale * ps.usReleaseGapMultiplier)) }
                var openLag = usOpen[d], o = 0
                if relCN[d] < openLag { openLag = relCN[d]; o = 1 }
                if relT1[d] < openLag { openLag = relT1[d]; o = 2 }
                if relGulf[d] < openLag { openLag = relGulf[d]; o = 3 }
                if d == 0 { origin = o; openLagAcc += openLag * 0.25; originAcc[o] += 0.25 }
                // Final lag: own development, the best open weights the actor uses (friction with
                // Chinese weights) plus its adoption delay, hosted US weights, stolen weights (China).
                for a in 0..<Actor.count {
                    let i = a * nd + d
                    var lag = own[i]
                    if a != us {
                        let usable = min(usOpen[d], relCN[d] + friction[a], relT1[d], relGulf[d])
                        if d == 0 { usableNow[a] = usable }
                        lag = min(lag, usable + adopt[a])
                        if ps.hosts(a) { lag = min(lag, adopt[a]) }
                        if a == cn { lag = min(lag, stolen) }
                    }
                    lagNow[i] = lag
                    lagAcc[i] += lag * 0.25
                }
            }
            for a in 0..<Actor.count where a != us { usablePrev[a] = usableNow[a] }
            for a in 0..<Actor.count { lagOwnAcc[a] += own[a * nd] * 0.25 }
            revenueAcc += revenue * dt
            mineralsAcc += gdpRate * dt
            if traceEnabled { recordTrace(s, q, imp: imp, dom: dom, smug: smug, cloud: cloud, origin: origin, revenue: revenue, gdp: gdpRate, mUS: mUS, mOther: mOther) }
            // Hindcast statistics for the sanity checks (spec §4, issue 8).
            if hindcastStats {
                let cnOwn = own[cn * nd], openLag = min(usOpen[0], relCN[0], relT1[0], relGulf[0])
                if q < 4 { sumCNLag2023 += cnOwn / 4; sumOpen2023 += openLag / 4; if origin == 0 { origin2023US += 0.25 } }
                if q >= 4 && q < 8 { if origin == 0 { origin2024US += 0.25 }; unmetAcc += unmet / 4 }
                if q >= 8 && q < 12 { sumOpen2025 += openLag / 4; if origin == 1 { origin2025CN += 0.25 } }
                if q >= 4 && q < 12 {
                    sumCNLag += cnOwn / 8; sumOpen += openLag / 8; blockedAcc += blocked / 8
                    sumComputeLag += 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: logC[cn], r: 0, gc: gc) / 8
                }
                if q >= 8 && q < 12 { fullBanCost2025 += uncon * price * dt }
                if q == 7 {
                    let i = cn * nd
                    st[CheckStatistic.deepseekV3Lag.index] = 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: deepseek + boost[i], r: rCatch[i], gc: gc)
                    st[CheckStatistic.smuggledShare2024.index] = cnParts[2] / (stock[cn] + phi * cloud)
                }
                if q == 9 { st[CheckStatistic.cnShare2025.index] = eff[cn] / effTotal }
                if q == 11 {
                    var world = 0.0
                    for a in 0..<Actor.count { world += stock[a] }
                    st[CheckStatistic.worldStockJan2026.index] = world
                    st[CheckStatistic.mineralsUSFrontierMonths.index] = 12 * abs(Foundation.log10(stock[us] / usShadow)) / (gc + ga)
                }
            }
            // Year end: write annual outputs.
            if q % 4 == 3 {
                let y = q / 4
                for a in 0..<Actor.count {
                    outcome.actor[outcome.actorIndex(s, y, a, .lagOwn)] = lagOwnAcc[a]
                    outcome.actor[outcome.actorIndex(s, y, a, .log10Compute)] = Foundation.log10(max(eff[a], 1))
                    outcome.actor[outcome.actorIndex(s, y, a, .worldShare)] = eff[a] / effTotal
                    outcome.actor[outcome.actorIndex(s, y, a, .log10LargestRun)] = logC[a]
                    lagOwnAcc[a] = 0
                    for d in 0..<nd {
                        outcome.domainLag[outcome.lagIndex(s, y, a, d)] = lagAcc[a * nd + d]
                        lagAcc[a * nd + d] = 0
                    }
                }
                outcome.scenario[outcome.scenarioIndex(s, y, .cnDomestic)] = cnParts[0]
                outcome.scenario[outcome.scenarioIndex(s, y, .cnImports)] = cnParts[1]
                outcome.scenario[outcome.scenarioIndex(s, y, .cnSmuggled)] = cnParts[2]
                outcome.scenario[outcome.scenarioIndex(s, y, .cnCloud)] = cloud
                outcome.scenario[outcome.scenarioIndex(s, y, .openLag)] = openLagAcc
                for o in OpenOrigin.allCases { outcome.scenario[outcome.scenarioIndex(s, y, .origin(o))] = originAcc[o.rawValue]; originAcc[o.rawValue] = 0 }
                outcome.scenario[outcome.scenarioIndex(s, y, .vendorNetRevenue)] = revenueAcc
                outcome.scenario[outcome.scenarioIndex(s, y, .usEffectiveLog)] = logC[us] + algDev
                outcome.scenario[outcome.scenarioIndex(s, y, .mineralsGDPLoss)] = mineralsAcc
                openLagAcc = 0; revenueAcc = 0; mineralsAcc = 0
            }
        }
        if hindcastStats {
            st[CheckStatistic.cnLag2023.index] = sumCNLag2023
            st[CheckStatistic.openLag2023.index] = sumOpen2023
            st[CheckStatistic.cnLag2024to2025.index] = sumCNLag
            st[CheckStatistic.openLag2024to2025.index] = sumOpen
            st[CheckStatistic.openLag2025.index] = sumOpen2025
            st[CheckStatistic.openOriginUS2023.index] = origin2023US
            st[CheckStatistic.openOriginUS2024.index] = origin2024US
            st[CheckStatistic.openOriginCN2025.index] = origin2025CN
            st[CheckStatistic.computeToCapabilityLagRatio.index] = sumCNLag > 0 ? sumComputeLag / sumCNLag : .infinity
            st[CheckStatistic.vendorCostFullBan2025.index] = fullBanCost2025
            outcome.statistics = st
            unmet2024 = unmetAcc
            blockedRef = blockedAcc
        }
    }

    /// Reference demand (H100e/yr) of actor `a` in quarter `q`, the level at which packs were screened.
    @inline(__always) func referenceDemandQ(_ q: Int, _ a: Int) -> Double {
        let ref = model.referenceDemand
        return ref.isEmpty ? 0 : ref[q * Actor.count + a]
    }

    func recordTrace(_ s: Int, _ q: Int, imp: Double, dom: Double, smug: Double, cloud: Double, origin: Int, revenue: Double, gdp: Double, mUS: Double, mOther: Double) {
        func values(_ b: UnsafeMutablePointer<Double>, _ n: Int) -> [Double] { Array(UnsafeBufferPointer(start: b, count: n)) }
        var row: [Double] = [Double(s), Double(q)]
        row += values(stock, Actor.count) + values(cnParts, 3) + [talent[Actor.us.index], talent[Actor.cn.index], algDev] + values(logC, Actor.count) + [path[q]]
        row += [imp, dom, smug, cloud, subLog, enfYears, efficiency] + values(distill, Actor.count) + values(proximity, Actor.count) + values(boostDriver, Actor.count)
        for d in 0..<nd {
            row += (0..<Actor.count).map { rCatch[$0 * nd + d] } + (0..<Actor.count).map { own[$0 * nd + d] }
            let open = min(usOpen[d], relCN[d], relT1[d], relGulf[d])
            row += [usOpen[d], relCN[d], relT1[d], relGulf[d], open]
            row += (0..<Actor.count).map { lagNow[$0 * nd + d] }
        }
        row += [Double(origin), revenue, gdp, mUS, mOther]
        trace.append(row)
    }
}
