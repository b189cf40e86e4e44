import Foundation

extension DrawSimulator {
    /// Steps quarters `from..<to` under scenario `s`. Equation numbers refer to spec §3.4.
    func simulate(scenario s: Int, from: Int, to: Int, hindcastStats: Bool) {
        let cal = model.calendar
        let dt = SimulationCalendar.dt
        let policy = model.policy[s]
        let capFixed = model.capFixed[s], capExempt = model.capExempt[s]
        let us = Actor.us.index, cn = Actor.cn.index, ru = Actor.ru.index, gulf = Actor.gulf.index, row = Actor.row.index
        // Per-draw constants read once.
        let price = p(.pricePerH100e), h20Price = p(.h20Price), h200Price = p(.h200Price)
        let uncShare = p(.cnUnconstrainedDemandShare), accept = p(.acceptCN)
        let h800 = p(.h800AccessShare), h200 = p(.h200AccessShare), b30a = p(.b30aAccessShare)
        let h20Units = p(.h20Units2024), h20Train = p(.h20TrainH100e)
        let packages2025 = p(.huaweiPackages2025), ascend = p(.ascendH100ePerPackage)
        let hbmPackageCap = p(.hbmStacks2026) / max(p(.hbmStacksPerPackage), 1e-9)
        let smug2024 = p(.smuggledChips2024) * p(.smuggledH100ePerChip), psi = p(.smuggleHubElasticity), enf = p(.enforcementEffect)
        let h800Era = p(.smugglingH800EraFactor)
        let cloud2025 = p(.offshoreCloudCN2025), phi = p(.cloudTrainWeight), kyc = p(.kycEffectiveness)
        let ruShare = p(.ruDemandShare) * p(.ruLeakShare)
        let wPub = params[PriorKey.count], wDist = params[PriorKey.count + 1], wOpen = params[PriorKey.count + 2]
        let distillCN = p(.distillationAccessCN), rMax = p(.rMaxCatchup), eta = p(.talentElasticity)
        let inflowUS = p(.newResearcherRate) * p(.cnOriginShare) * p(.usGradShareCN) * p(.stayRateCN)
        let theftRate = p(.theftRate), theftMult = p(.theftMultiplierSL45)
        let pUS = p(.openPropensityUS), pCN = p(.openPropensityCN), withhold = p(.openWithholdOOM), adopt = p(.adoptDelayMonths)
        let preOpenGap = p(.openGapPreOpenFrontier)
        let mMin = p(.mineralsPenalty), mTail = p(.mineralsTailPenalty), gdpLoss = p(.mineralsGDPLoss)
        let statsEnabled = hindcastStats
        var usShadow = stock[us]   // US stock without minerals measures (check 8)
        var openLagAcc = 0.0, revenueAcc = 0.0, mineralsAcc = 0.0
        var sumCNLag2023 = 0.0, sumOpen2023 = 0.0, sumCNLag = 0.0, sumOpen = 0.0, sumComputeLag = 0.0, fullBanCost2025 = 0.0
        var st = outcome.statistics
        for q in from..<to {
            let ps = policy[q]
            let t = cal.midTime(q), tEnd = cal.endTime(q)
            let dW = worldAdditions(q)
            let shares = q < hindcast ? demandHist : demandProj
            let pf = priceFactor[q]
            let price = price * pf, h20Price = h20Price * pf, h200Price = h200Price * pf
            let m = ps.mineralsBan * (mMin + (ps.mineralsTail ? mTail : 0))
            var revenue = 0.0       // USD per year, vendor net
            var hub = 0.0
            // (1) Hardware, non-China actors: demand-driven additions, Tier-2 caps, minerals penalty.
            for a in 0..<Actor.count where a != cn && a != ru {
                var demand = dW * shares[a]
                if a == us || a == Actor.t1.index || a == gulf { demand *= (1 - m) }
                var add = demand
                if ps.tier2Caps && capFixed[a].isFinite {
                    add = min(demand, capFixed[a] + capExempt[a] * demand)
                }
                if a >= gulf { revenue += add * price }
                if a == gulf || a == row { hub += add }
                stock[a] = stock[a] * decayQ + add * dt
                if a == us { usShadow = usShadow * decayQ + dW * shares[a] * dt }
            }
            // Russia: a leaked share of its demand (smuggled servers), cut by enforcement.
            stock[ru] = stock[ru] * decayQ + dW * ruShare * (ps.chipEnforcement ? 1 - enf : 1) * dt
            // (1) China: legal imports under the regime in force.
            let uncon = dW * uncShare
            var imp = 0.0, gross = 0.0
            switch ps.cnChipRegime {
            case .full: imp = uncon; gross = imp * price
            case .h800: imp = uncon * h800; gross = imp * price
            case .h20: imp = h20Units * h20Train; gross = h20Units * h20Price
            case .none: break
            case .h200: imp = uncon * h200; gross = imp * h200Price
            case .b30a: imp = uncon * b30a; gross = imp * price
            }
            if ps.beijingDiscourages { imp *= accept; gross *= accept }
            revenue += gross * (1 - ps.cnRevenueShare)
            // Domestic production (Huawei Ascend), capped by HBM once the stockpile is used (2026 on).
            var packages = packages2025 * packageFactor[q]
            if ps.hbmControls && t >= 2026 { packages = min(packages, hbmPackageCap) }
            let dom = packages * ascend
            // Smuggling grows with hub imports (elasticity psi), capped at the unmet part of China's
            // unconstrained demand (nobody smuggles what can be bought); while the near-H100 H800 was
            // legal (to Nov 2023) it ran at a fraction of that (CNAS: "thousands" of chips in 2023).
            let era = ps.cnChipRegime == .h800 ? h800Era : 1
            let smug = min(max(0, uncon - imp), smug2024 * era * Foundation.pow(max(hub, 1e-9) / hub2024, psi) * (ps.chipEnforcement ? 1 - enf : 1))
            cnParts[0] = cnParts[0] * decayQ + dom * dt
            cnParts[1] = cnParts[1] * decayQ + imp * dt
            cnParts[2] = cnParts[2] * decayQ + smug * dt
            stock[cn] = cnParts[0] + cnParts[1] + cnParts[2]
            // (2) Cloud: offshore capacity scales with world compute; KYC cuts it.
            let cloud = cloud2025 * worldRel[q] * (ps.cloudKYC ? 1 - kyc : 1)
            // (5) Talent: visa policy diverts part of the Chinese-origin inflow from the US to China.
            let diverted = ps.visaRestriction * inflowUS * dt
            talent[us] -= diverted; talent[cn] += diverted
            let tUS = min(1.2, Foundation.pow(max(talent[us], 1e-9) / talent0US, eta))
            let tCN = min(1.2, Foundation.pow(talent[cn] / talent0CN, eta))
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
            // (4) Catch-up speed R_a.
            let kycCut = ps.cloudKYC ? 1 - kyc : 1
            for a in 0..<Actor.count {
                let distill = (a == cn || a == ru ? distillCN * kycCut : 1) * ps.distillationEnvironment
                let tau = a == us ? 1 : wPub * ps.publicationOpenness + wDist * distill + wOpen * ps.openWeightAvailability
                let talentFactor = a == us ? tUS : (a == cn ? tCN : 1)
                rCatch[a] = (ga + (rMax - ga) * tau) * talentFactor
            }
            // (6) Own-development lag, (7) weights channel.
            let pathPtr = UnsafePointer(path)
            // Open releases sit (1 - propensity) * withhold OOM below the releaser's best model, plus,
            // before near-frontier open weights existed (environment O < 1), (1 - O) * preOpenGap OOM
            // (Llama 2 era: the ~1-year open gap of spec §4 item 2).
            let envGap = (1 - ps.openWeightAvailability) * preOpenGap
            let usOpenOOM = (1 - min(1, pUS * ps.usOpenReleaseMultiplier)) * withhold + envGap
            let openUS = 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: logC[us] + algDev - usOpenOOM, r: rCatch[us], gc: gc)
            let openCN = 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: logC[cn] - (1 - pCN) * withhold - envGap, r: rCatch[cn], gc: gc)
            let openLag = min(openUS, openCN)
            // Theft of frontier weights (Poisson): projection only. The hindcast follows the record,
            // which has no known theft of frontier weights in 2023-2025.
            let lambda = theftRate * (ps.labSecurity == .sl45 ? theftMult : 1)
            if q >= hindcast && theftU[q] < 1 - Foundation.exp(-lambda * dt) { lastTheft = tEnd }
            let stolen = lastTheft >= 0 ? 12 * (tEnd - lastTheft) + adopt : .infinity
            var cnOwn = 0.0
            for a in 0..<Actor.count {
                let logActor = a == us ? logC[a] + algDev : logC[a]
                let own = 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: logActor, r: rCatch[a], gc: gc)
                var lag = own
                if a != us {
                    lag = min(lag, openLag + adopt)
                    if ps.weightHosting[a] { lag = min(lag, adopt) }
                    if a == cn { lag = min(lag, stolen); cnOwn = own }
                }
                lagAcc[a] += lag * 0.25
                lagOwnAcc[a] += own * 0.25
            }
            openLagAcc += openLag * 0.25
            revenueAcc += revenue * dt
            mineralsAcc += ps.mineralsBan * gdpLoss * dt
            // Hindcast statistics for the sanity checks (spec §4).
            if statsEnabled {
                if q < 4 { sumCNLag2023 += cnOwn / 4; sumOpen2023 += openLag / 4 }
                if q >= 4 && q < 12 {
                    sumCNLag += cnOwn / 8; sumOpen += openLag / 8
                    sumComputeLag += 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: logC[cn], r: 0, gc: gc) / 8
                }
                if q >= 8 && q < 12 { fullBanCost2025 += uncon * price * dt }
                if q == 7 {
                    st[CheckStatistic.deepseekV3Lag.index] = 12 * LagSolver.bisectionYears(path: pathPtr, q: q, dt: dt, logActor: Foundation.log10(model.inputs.calibration.deepseek_v3_flop), r: rCatch[cn], gc: gc)
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
                    outcome.actor[outcome.actorIndex(s, y, a, .lag)] = lagAcc[a]
                    outcome.actor[outcome.actorIndex(s, y, a, .lagOwn)] = lagOwnAcc[a]
                    outcome.actor[outcome.actorIndex(s, y, a, .log10Compute)] = Foundation.log10(max(eff[a], 1))
                    outcome.actor[outcome.actorIndex(s, y, a, .worldShare)] = eff[a] / effTotal
                    outcome.actor[outcome.actorIndex(s, y, a, .log10LargestRun)] = logC[a]
                    lagAcc[a] = 0; lagOwnAcc[a] = 0
                }
                outcome.scenario[outcome.scenarioIndex(s, y, .cnDomestic)] = cnParts[0]
                outcome.scenario[outcome.scenarioIndex(s, y, .cnImports)] = cnParts[1]
                outcome.scenario[outcome.scenarioIndex(s, y, .cnSmuggled)] = cnParts[2]
                outcome.scenario[outcome.scenarioIndex(s, y, .cnCloud)] = cloud
                outcome.scenario[outcome.scenarioIndex(s, y, .openLag)] = openLagAcc
                outcome.scenario[outcome.scenarioIndex(s, y, .vendorNetRevenue)] = revenueAcc
                outcome.scenario[outcome.scenarioIndex(s, y, .usEffectiveLog)] = logC[us] + algDev
                outcome.scenario[outcome.scenarioIndex(s, y, .mineralsGDPLoss)] = mineralsAcc
                openLagAcc = 0; revenueAcc = 0; mineralsAcc = 0
            }
        }
        if statsEnabled {
            st[CheckStatistic.cnLag2023.index] = sumCNLag2023
            st[CheckStatistic.openLag2023.index] = sumOpen2023
            st[CheckStatistic.cnLag2024to2025.index] = sumCNLag
            st[CheckStatistic.openLag2024to2025.index] = sumOpen
            st[CheckStatistic.computeToCapabilityLagRatio.index] = sumCNLag > 0 ? sumComputeLag / sumCNLag : .infinity
            st[CheckStatistic.vendorCostFullBan2025.index] = fullBanCost2025
            outcome.statistics = st
        }
    }
}
