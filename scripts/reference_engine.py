#!/usr/bin/env python3
"""Independent reference of the diffusion simulator's engine (issue 8 item 7), in Python and numpy.

Reads trace.json written by `ai-diffusion simulate --trace-draw N` (one draw's inputs at full
precision, the compiled policy per quarter, demand shares, rule-pack tables, and the Swift engine's
state in every quarter of every scenario), recomputes every state variable from the equations
below, written from docs/simulator.md and spec simulator-model.md without reusing the Swift code,
and compares them. Exit 0 when every value agrees to 1e-9 relative (absolute 1e-12 near zero).

    python3 scripts/reference_engine.py trace.json [--time REPEATS]

Only numpy and the standard library are needed.
"""
import json
import math
import sys
import time

import numpy as np

DT = 0.25
US, T1, CN, RU, GULF, IN, ROW = range(7)
ACTORS = ["US", "T1", "CN", "RU", "GULF", "IN", "ROW"]
H100_FLOPS = 9.89e14
REL_TOL, ABS_TOL = 1e-9, 1e-12


def bisection_years(path, q, log_actor, r, gc):
    """Eq. 6: L >= 0 with log_actor + r L = path(t - L); path linear between quarter ends,
    extended back before the first node at gc OOM/yr."""
    f0 = path[q] - log_actor
    if f0 <= 0:
        return 0.0
    fq = path[0] - log_actor - r * q * DT
    if fq > 0:
        return (path[0] + gc * q * DT - log_actor) / (gc + r)
    lo, hi, flo, fhi = 0, q, f0, fq
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        fm = path[q - mid] - log_actor - r * mid * DT
        if fm > 0:
            lo, flo = mid, fm
        else:
            hi, fhi = mid, fm
    return (lo + flo / (flo - fhi)) * DT


class Pack:
    def __init__(self, js):
        self.levels = js["demand_levels"]
        self.shares = np.array(js["shares"], dtype=float)
        self.china = js["china_regime"]

    def granted(self, q, a, m, approval):
        n = len(self.levels)

        def at(l):
            o = ((q * 7 + a) * n + l) * 5
            s = self.shares[o:o + 5]
            total = s.sum()
            return float((s * approval).sum() / total) if total > 0 else math.nan
        if m <= self.levels[0]:
            return at(0)
        if m >= self.levels[-1]:
            return at(n - 1)
        l = 0
        while self.levels[l + 1] < m:
            l += 1
        w = math.log(m / self.levels[l]) / math.log(self.levels[l + 1] / self.levels[l])
        return at(l) * (1 - w) + at(l + 1) * w


class Draw:
    """One draw of the engine: set-up, the shared hindcast, then every scenario's projection."""

    def __init__(self, tr):
        self.tr = tr
        names, values = tr["parameter_names"], tr["parameters"]
        self.p = dict(zip(names, values))
        self.values = values
        self.names = names
        cal = tr["calendar"]
        self.start, self.hindcast, self.quarters = cal["start_year"], cal["hindcast_quarters"], cal["total_quarters"]
        self.nd = tr["lag_domains"]
        self.theft = tr["theft_uniforms"]
        self.resp = tr["responses"]
        self.packs = [Pack(p) for p in tr["packs"]]
        self.reference = Pack(tr["reference_pack"]) if tr["reference_pack"] else None
        self.ref_demand = tr["reference_demand"]
        tau_base = names.index("tau_weight_publications")
        self.w_pub, self.w_dist, self.w_open = values[tau_base:tau_base + 3]
        domain_names = [n for n in names if n.startswith("domain:")]
        ids = []
        for n in domain_names:
            i = n.split(":")[1]
            if i not in ids:
                ids.append(i)
        assert len(ids) == self.nd

        def dom(field):
            return [self.p[f"domain:{i}:{field}"] for i in ids]
        self.d_off, self.d_pub, self.d_dist = dom("frontier_offset_oom"), dom("publications"), dom("distillation")
        self.d_open, self.d_gap, self.d_floor = dom("open_weights"), dom("open_release_gap_factor"), dom("replication_floor_months")
        self.setup()

    def mid(self, q):
        return self.start + (q + 0.5) * DT

    def end(self, q):
        return self.start + (q + 1) * DT

    def setup(self):
        p, Q = self.p, self.quarters
        self.gc = math.log10(p["g_c_frontier_compute_growth"])
        self.ga = math.log10(2) * 12 / p["alg_halving_months"]
        gw = p["global_compute_growth"]
        self.decay = (1 - p["depreciation_delta"]) ** DT
        self.flop_run = H100_FLOPS * p["mfu"] * p["run_days"] * 86400.0
        ln_g, keep = math.log(gw), 1 - p["compute_growth_decay_per_yr"]
        self.w0 = p["world_stock_anchor_jan2026_h100e"] / math.exp(ln_g * (2026 - self.start))
        ln_keep = math.log(max(keep, 1e-9))

        def ln_w(t):
            base = ln_g * (min(t, 2026) - self.start)
            tau = max(0.0, t - 2026)
            if tau == 0:
                return base
            if abs(ln_keep) < 1e-12:
                return base + ln_g * tau
            return base + ln_g * (1 - math.exp(ln_keep * tau)) / -ln_keep
        ln_mid25 = ln_w(2025.5)
        self.world_add, self.world_rel, self.price_f, self.kappa_f, self.package_f = (np.zeros(Q) for _ in range(5))
        for q in range(Q):
            t = self.mid(q)
            rate = ln_g * keep ** max(0.0, t - 2026)
            self.world_add[q] = self.w0 * math.exp(ln_w(t)) * (math.exp(rate * DT) - self.decay) / DT
            self.world_rel[q] = math.exp(ln_w(t) - ln_mid25)
            self.price_f[q] = 2 ** (-(t - 2025.5) / p["gpu_price_perf_doubling_yr"])
            self.kappa_f[q] = (p["g_c_frontier_compute_growth"] / gw) ** (self.end(q) - 2025.5)
            self.package_f[q] = (p["dom_growth_cn"] ** (t - 2025.5)) if t >= 2025.5 else p["huawei_output_2023_share"] ** ((2025.5 - t) / 2)
        sh = self.tr["shares"]
        share = list(sh["initial"])
        share[CN] *= p["cn_cluster_share_bias"]
        total = sum(share)
        self.stock = np.array([self.w0 * s / total for s in share])
        self.cn_parts = np.array([0.0, self.stock[CN], 0.0])
        self.kappa0 = np.array([p["kappa_us"], p["kappa_other"], p["kappa_cn"]] + [p["kappa_other"]] * 4)
        planned = p["planned_pipeline_weight"]
        self.dem_hist = np.array(sh["additions"], dtype=float)
        self.dem_proj = (1 - planned) * np.array(sh["additions"]) + planned * np.array(sh["planned"])
        for a in (CN, RU):
            self.dem_hist[a] = 0.0
            self.dem_proj[a] = 0.0
        self.hub2024 = 0.0
        for q in range(4, 8):
            self.hub2024 += self.world_add[q] * (self.dem_hist[GULF] + self.dem_hist[ROW]) / 4
        self.talent0 = (p["talent_share_us"], p["talent_share_cn"])
        self.talent = np.ones(7)
        self.talent[US], self.talent[CN] = self.talent0
        self.alg_dev, self.last_theft = 0.0, -1.0
        d = p["adopt_delay_months"]
        self.adopt = [0.0, d, d, p["adopt_delay_ru_row_months"], d, p["adopt_delay_in_months"], p["adopt_delay_ru_row_months"]]
        self.friction = [0.0, p["cn_weights_friction_t1_months"], 0.0, 0.0, p["cn_weights_friction_gulf_months"], p["cn_weights_friction_in_months"], p["cn_weights_friction_row_months"]]
        self.absorptive = [1.0, p["absorptive_capacity_t1"], 1.0, p["absorptive_capacity_ru"], p["absorptive_capacity_gulf"], p["absorptive_capacity_in"], p["absorptive_capacity_row"]]
        self.us_open = np.full(self.nd, p["open_lag_initial_months"] - 3)
        self.usable_prev = np.full(7, p["open_lag_initial_months"])
        self.release_clock = p["us_open_release_interval_months"]
        self.sub_log = self.enf_years = self.unmet2024 = self.blocked_ref = 0.0
        self.efficiency = p["cn_efficiency_initial_oom"]
        self.path = np.zeros(Q)

    STATE = ("stock", "cn_parts", "talent", "alg_dev", "last_theft", "us_open", "release_clock", "usable_prev", "sub_log", "enf_years", "efficiency")

    def snapshot(self):
        self.snap = {k: (getattr(self, k).copy() if isinstance(getattr(self, k), np.ndarray) else getattr(self, k)) for k in self.STATE}

    def restore(self):
        for k, v in self.snap.items():
            setattr(self, k, v.copy() if isinstance(v, np.ndarray) else v)

    def run(self):
        rows = []
        self.simulate(0, 0, self.hindcast, True, rows)
        self.snapshot()
        for s in range(len(self.tr["scenarios"])):
            self.restore()
            self.simulate(s, self.hindcast, self.quarters, False, rows)
        return rows

    def simulate(self, s, q_from, q_to, stats, rows):
        p, nd = self.p, self.nd
        policy = self.tr["policy"][s]
        approval = np.array([1.0, p["licence_approval_presumption_of_approval"], p["licence_approval_case_by_case"], p["licence_approval_presumption_of_denial"], 0.0])
        smug2024 = p["smuggled_chips_2024"] * p["smuggled_h100e_per_chip"]
        chi = p["smuggling_denied_elasticity_chi"] if self.resp["smuggling"] else 0.0
        adapt = p["smuggling_adaptation_per_yr"] if self.resp["smuggling"] else 0.0
        epsilon = p["domestic_substitution_elasticity"] if self.resp["domestic_substitution"] else 0.0
        hbm_cap = p["hbm_stacks_available_2026"] / max(p["hbm_stacks_per_package"], 1e-9)
        inflow_us = p["new_researcher_rate_per_yr"] * p["cn_origin_share_of_new_researchers"] * p["us_grad_share_cn_undergrads"] * p["stay_rate_cn_in_us"]
        gap_cn = (1 - p["open_release_propensity_cn"]) * p["open_withhold_oom"]
        gap_t1, gap_gulf = p["open_release_gap_t1_oom"], p["open_release_gap_gulf_oom"]
        m_weight = [p["minerals_penalty_ga_ge"], p["minerals_penalty_sb_graphite"], p["minerals_penalty_sb_graphite"], p["minerals_penalty_rare_earths"]]
        sev = p["minerals_licensing_severity"]
        gdp = [p["minerals_gdp_loss_ga_ge_usd_per_yr"], p["minerals_gdp_loss_sb_graphite_usd_per_yr"] / 2, p["minerals_gdp_loss_sb_graphite_usd_per_yr"] / 2, p["minerals_gdp_loss_rare_earths_usd_per_yr"]]
        unmet_acc = blocked_acc = 0.0
        for q in range(q_from, q_to):
            ps = policy[q]
            pk = ps["pack"]
            t, t_end = self.mid(q), self.end(q)
            dW = self.world_add[q]
            shares = self.dem_hist if q < self.hindcast else self.dem_proj
            pf = self.price_f[q]
            price, h20_price, h200_price = p["price_per_h100e_usd"] * pf, p["h20_price_usd"] * pf, p["h200_price_usd"] * pf
            # Minerals (eq. 8 by mineral): US and other importers' penalty, US GDP loss per year.
            m_us = m_other = gdp_rate = 0.0
            for k, ctl in enumerate(ps["minerals"]):
                l_us, l_other = {"none": (0.0, 0.0), "licensing": (sev, sev), "us_ban": (1.0, sev), "extraterritorial": (1.0, 1.0)}[ctl]
                m_us += l_us * m_weight[k]
                m_other += l_other * m_weight[k]
                gdp_rate += l_us * gdp[k]
            revenue = hub = 0.0
            enf_eff = p["enforcement_effect_e_enf"] * math.exp(-adapt * self.enf_years) if ps["enforcement"] else 0.0
            # (1) Non-China hardware; a rule pack grants a share of demand relative to the enforced rules.
            for a in (US, T1, GULF, IN, ROW):
                raw = dW * shares[a]
                demand = raw * (1 - (m_us if a == US else m_other))
                legal, leak = demand, 0.0
                if pk >= 0 and a != US and self.reference is not None:
                    ref = self.ref_demand[q * 7 + a]
                    if ref > 0:
                        m = raw / ref
                        g = self.packs[pk].granted(q, a, m, approval)
                        b = self.reference.granted(q, a, m, approval)
                        if math.isfinite(g) and math.isfinite(b) and b > 0:
                            legal = demand * min(1.0, g / b)
                            leak = (demand - legal) * p["denied_diversion_share"] * (1 - enf_eff)
                if a >= GULF:
                    revenue += legal * price
                if a in (GULF, ROW):
                    hub += legal
                self.stock[a] = self.stock[a] * self.decay + (legal + leak) * DT
            self.stock[RU] = self.stock[RU] * self.decay + dW * p["ru_demand_share"] * p["ru_leak_share"] * (1 - enf_eff) * DT
            regime = self.packs[pk].china[q] if pk >= 0 else ps["cn_chip_regime"]
            uncon = dW * p["cn_unconstrained_demand_share"]
            imp = gross = 0.0
            if regime == "full":
                imp = uncon; gross = imp * price
            elif regime == "h800":
                imp = uncon * p["h800_access_share"]; gross = imp * price
            elif regime == "h20":
                imp = p["h20_units_2024"] * p["h20_train_h100e"]; gross = p["h20_units_2024"] * h20_price
            elif regime == "h200":
                imp = uncon * p["h200_access_share"]; gross = imp * h200_price
            elif regime == "b30a":
                imp = uncon * p["b30a_access_share"]; gross = imp * price
            if ps["beijing"]:
                imp *= p["accept_cn_nvidia"]; gross *= p["accept_cn_nvidia"]
            revenue += gross * (1 - ps["cn_revenue_share"])
            sub_factor = math.exp(self.sub_log)
            packages = p["huawei_packages_2025"] * self.package_f[q] * sub_factor
            if ps["hbm"] and t >= 2026:
                packages = min(packages, hbm_cap * sub_factor)
            dom = packages * p["ascend_h100e_per_package"]
            unmet = max(0.0, uncon - imp)
            era = p["smuggling_h800_era_factor"] if regime == "h800" else 1.0
            denied = (max(unmet, 1e-9) / self.unmet2024) ** chi if (q >= self.hindcast and self.unmet2024 > 0 and chi > 0) else 1.0
            smug = min(p["smuggling_max_unmet_share"] * unmet, smug2024 * era * (max(hub, 1e-9) / self.hub2024) ** p["smuggle_hub_elasticity_psi"] * denied) * (1 - enf_eff)
            self.cn_parts = self.cn_parts * self.decay + np.array([dom, imp, smug]) * DT
            self.stock[CN] = self.cn_parts[0] + self.cn_parts[1] + self.cn_parts[2]
            blocked = unmet / uncon if uncon > 0 else 0.0
            if q >= self.hindcast:
                self.sub_log += epsilon * (blocked - self.blocked_ref) * DT
            scarcity = self.blocked_ref if (q >= self.hindcast and not self.resp["efficiency"]) else blocked
            target = p["cn_efficiency_long_run_oom"] - p["cn_efficiency_scarcity_response_oom"] * (1 - scarcity)
            self.efficiency += (target - self.efficiency) / p["cn_efficiency_adjustment_years"] * DT
            if ps["enforcement"]:
                self.enf_years += DT
            kyc_cut = 1 - p["kyc_effectiveness"] if ps["kyc"] else 1.0
            cloud = p["offshore_cloud_cn_h100e_2025"] * self.world_rel[q] * kyc_cut
            diverted = ps["visa"] * inflow_us * DT
            self.talent[US] -= diverted
            self.talent[CN] += diverted
            eta = p["talent_elasticity_eta"]
            t_us = min(1.2, (max(self.talent[US], 1e-9) / self.talent0[0]) ** eta)
            t_cn = min(1.2, (self.talent[CN] / self.talent0[1]) ** eta)
            self.alg_dev += (self.ga * t_us - self.ga) * DT
            # (3) Largest training runs and the frontier path.
            log_c, eff = np.zeros(7), np.zeros(7)
            frontier = -math.inf
            for a in range(7):
                kappa = min(0.5, self.kappa0[a] * self.kappa_f[q])
                train = self.stock[a] + (p["cloud_train_weight_phi"] * cloud if a == CN else 0.0)
                log_c[a] = math.log10(max(kappa * train * self.flop_run, 1.0))
                eff[a] = self.stock[a] + (cloud if a == CN else 0.0)
                frontier = max(frontier, log_c[a] + self.alg_dev if a == US else log_c[a])
            self.path[q] = frontier
            # (4) Distillation, level-boost driver, open-weight help.
            dist = {"none": 0.0, "answers": p["distillation_answers_share"], "reasoning": 1.0}[ps["distillation"]]
            distill, driver, prox = np.zeros(7), np.zeros(7), np.zeros(7)
            for a in range(1, 7):
                restricted = a in (CN, RU)
                distill[a] = dist * (p["distillation_access_cn"] * kyc_cut if restricted else 1.0)
                driver[a] = dist * self.absorptive[a] * (kyc_cut if restricted else 1.0)
                prox[a] = min(1.0, max(0.0, 1 - self.usable_prev[a] / p["open_proximity_scale_months"]))
            floor_scale = 1 / max(ps["publication"], 0.1)
            lam = p["theft_rate_per_yr_sl2_3"] * (p["theft_rate_multiplier_sl4_5"] if ps["sl45"] else 1.0)
            if q >= self.hindcast and self.theft[q] < 1 - math.exp(-lam * DT):
                self.last_theft = t_end
            stolen = 12 * (t_end - self.last_theft) + self.adopt[CN] if self.last_theft >= 0 else math.inf
            periodic = False
            if ps["us_periodic"]:
                self.release_clock += 3
                if self.release_clock >= p["us_open_release_interval_months"]:
                    periodic = True
                    self.release_clock -= p["us_open_release_interval_months"]
            per_domain = []
            origin = 0
            usable_now = np.zeros(7)
            own_general = None
            for d in range(nd):
                off, floor, cap = self.d_off[d], self.d_floor[d] * floor_scale, self.path[q]
                r_catch, boost, own = np.zeros(7), np.zeros(7), np.zeros(7)
                for a in range(7):
                    tau = 1.0 if a == US else min(1.0, self.absorptive[a] * (self.w_pub * ps["publication"] * self.d_pub[d] + self.w_dist * distill[a] * self.d_dist[d] + self.w_open * prox[a] * self.d_open[d]))
                    tf = t_us if a == US else (t_cn if a == CN else 1.0)
                    r_catch[a] = (self.ga + (p["r_max_catchup_oom_per_yr"] - self.ga) * tau) * tf
                    boost[a] = p["follower_efficiency_boost_oom"] * driver[a] * self.d_dist[d] + (self.efficiency if a == CN else 0.0)
                    x = min(cap, (log_c[a] + self.alg_dev if a == US else log_c[a] + boost[a]) + off)
                    lag = 12 * bisection_years(self.path, q, x, r_catch[a], self.gc)
                    own[a] = lag if a == US else max(lag, floor)

                def release(a, gap):
                    x = min(cap, log_c[a] + boost[a] - gap * self.d_gap[d] + off)
                    return max(floor, 12 * bisection_years(self.path, q, x, r_catch[a], self.gc))

                def us_release(gap):
                    x = min(cap, log_c[US] + self.alg_dev - gap * self.d_gap[d] + off)
                    return 12 * bisection_years(self.path, q, x, self.ga * t_us, self.gc)
                rel_cn, rel_t1, rel_gulf = release(CN, gap_cn), release(T1, gap_t1), release(GULF, gap_gulf)
                self.us_open[d] += 3
                if ps["us_release_gap"] is not None:
                    self.us_open[d] = min(self.us_open[d], us_release(ps["us_release_gap"] * p["us_open_gap_scale"]))
                if periodic:
                    self.us_open[d] = min(self.us_open[d], us_release(p["us_open_release_gap_projection_oom"] * p["us_open_gap_scale"] * ps["us_gap_multiplier"]))
                cands = [self.us_open[d], rel_cn, rel_t1, rel_gulf]
                open_lag, o = cands[0], 0
                for i in (1, 2, 3):
                    if cands[i] < open_lag:
                        open_lag, o = cands[i], i
                if d == 0:
                    origin = o
                    own_general = own.copy()
                lags = np.zeros(7)
                for a in range(7):
                    lag = own[a]
                    if a != US:
                        usable = min(self.us_open[d], rel_cn + self.friction[a], rel_t1, rel_gulf)
                        if d == 0:
                            usable_now[a] = usable
                        lag = min(lag, usable + self.adopt[a])
                        if ps["hosting"][a]:
                            lag = min(lag, self.adopt[a])
                        if a == CN:
                            lag = min(lag, stolen)
                    lags[a] = lag
                per_domain.append((r_catch, own, [self.us_open[d], rel_cn, rel_t1, rel_gulf, open_lag], lags))
            for a in range(1, 7):
                self.usable_prev[a] = usable_now[a]
            row = [float(s), float(q)] + list(self.stock) + list(self.cn_parts) + [self.talent[US], self.talent[CN], self.alg_dev] + list(log_c) + [self.path[q]]
            row += [imp, dom, smug, cloud, self.sub_log, self.enf_years, self.efficiency] + list(distill) + list(prox) + list(driver)
            for r_catch, own, rel, lags in per_domain:
                row += list(r_catch) + list(own) + rel + list(lags)
            row += [float(origin), revenue, gdp_rate, m_us, m_other]
            rows.append(row)
            if stats:
                if 4 <= q < 8:
                    unmet_acc += unmet / 4
                if 4 <= q < 12:
                    blocked_acc += blocked / 8
        if stats:
            self.unmet2024, self.blocked_ref = unmet_acc, blocked_acc


def compare(trace_rows, ref_rows, names):
    worst, where = 0.0, None
    bad = 0
    for i, (a_row, b_row) in enumerate(zip(trace_rows, ref_rows)):
        for j, (a, b) in enumerate(zip(a_row, b_row)):
            if a is None or b is None or (isinstance(a, float) and isinstance(b, float) and math.isinf(a) and math.isinf(b)):
                continue
            diff = abs(a - b)
            scale = max(abs(a), abs(b))
            rel = diff / scale if scale > 0 else 0.0
            if diff > ABS_TOL and rel > REL_TOL:
                bad += 1
                if bad <= 10:
                    print(f"DIFFER row {i} (scenario {int(a_row[0])}, quarter {int(a_row[1])}) {names[j]}: swift {a!r} numpy {b!r} (rel {rel:.3g})")
            if diff > ABS_TOL and rel > worst:
                worst, where = rel, (i, names[j])
    return bad, worst, where


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    with open(argv[1]) as f:
        tr = json.load(f)
    names = tr["trace_names"]
    swift_rows = tr["trace"]
    t0 = time.perf_counter()
    rows = Draw(tr).run()
    per_draw = time.perf_counter() - t0
    if len(rows) != len(swift_rows) or any(len(r) != len(names) for r in rows):
        print(f"FAIL: {len(rows)} rows of {len(rows[0]) if rows else 0} values; the trace has {len(swift_rows)} rows of {len(names)}")
        return 1
    bad, worst, where = compare(swift_rows, rows, names)
    values = len(rows) * len(names)
    if "--time" in argv:
        repeats = int(argv[argv.index("--time") + 1])
        t0 = time.perf_counter()
        for _ in range(repeats):
            Draw(tr).run()
        per_draw = (time.perf_counter() - t0) / repeats
    print(f"numpy reference: {len(rows)} quarter rows x {len(names)} state variables ({values} values), "
          f"{len(tr['scenarios'])} scenarios, {tr['lag_domains']} lag domains; largest relative difference "
          f"{worst:.3g}{f' ({where[1]})' if where else ''}; {per_draw * 1000:.1f} ms per draw")
    if bad:
        print(f"FAIL: {bad} values differ by more than {REL_TOL:g} relative")
        return 1
    print(f"agree to {REL_TOL:g} relative")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
