#!/usr/bin/env python3
"""A plain numpy reference of racerun's monthly step (second-generation model).

Scenario: racerun's bundled `scenarios/baseline.toml` (3 symmetric labs, 120 months),
every parameter at the value `racerun show baseline` resolves it to (hard-coded in `P`
below). The state is vectorised over a (labs x runs) array: each per-lab quantity is an
array of shape (N, R), each per-run (world) quantity one of shape (R,). Labs are the
first axis so that sums over labs are row additions.

Only the state is advanced, month by month: none of racerun's measures, bands or files.
`--check` records a few series (not in the timed loop) and compares medians with a
racerun output directory.

Step numbers in the comments are those of racerun's docs/model.md ("One step").

    python step.py --runs 20000 --repeat 3
    python step.py --runs 2000 --check /tmp/npref-rr
    python step.py --runs 2000 --counts
"""

import argparse
import json
import math
import os
import time

import numpy as np

LN10 = math.log(10.0)
MAX_LOG10 = 30.0  # model::MAX_LOG10_MULTIPLIER
LN_RELATIVE = math.log(1e3)  # prices::RELATIVE_PRICE bound, in logs

# The baseline scenario, fully resolved (`racerun show baseline`).
P = dict(
    months=120,
    n_labs=3,
    # world.algorithms
    algo_progress=3.0, flop=1e21, q0=1250.0, e0=1e26, elo=100.0,
    release_sigma=15.0, release_delay_max=1,  # delay_trains = false
    # world.dynamics
    kappa=0.0, kappa_abs=0.1, research_cap=10.0, phi=0.1, carry_over=0.3,
    # world.demand (growth_long absent: constant growth; price_elasticity = 0)
    d0=40000.0, growth=2.0, eta=0.5, shock_sigma=0.1, shock_rho=0.8,
    # world.market
    beta=1.0, switching=0.3, overflow_loss=0.5, churn_unserved=0.3, price_decline=0.3,
    price_sensitivity=1.0, price_response=1.0, price_adjustment=0.2, price_cap=3.0,
    infer_elasticity=0.3,
    # world.gpus (rationing = "orders", no supply wave)
    gpu_price=30000.0, price_halving=30.0, supply=15000.0, supply_growth=4.0,
    supply_growth_long=1.5, supply_halflife=5.0, gpu_price_response=0.5, build_lag=3,
    life_months=60.0, opex_per_h100e=400.0,
    # world.power
    kw_per_h100e=1.3, efficiency_gain=1.3, power_lag=18, power_price=1e10,
    additions=2.0, additions_growth=1.3, headroom=0.2,
    # world.investors
    pool=1.5e9, pool_growth=3.0, gdp=1e14, gdp_growth=1.05, gdp_share=0.01,
    follow_revenue=0.4, follow_leader=0.3, standing_scale=50.0, adjustment=0.05,
    runway_months=18.0, reserve_months=6.0, insolvency_months=6, resale=0.5,
    # labs (alpha, beta, gamma): identical but for first_release
    fleet=[40000.0] * 3, cash=[2e9] * 3, run_months=[6] * 3, first_release=[2, 4, 6],
    price=[4000.0] * 3, funding=[5e8] * 3, reinvest=[0.5] * 3,
    research_efficiency=[1.0] * 3, serving_efficiency=[1.0] * 3, brand=[0.0] * 3,
    # policy serve_first for every lab
    min_train=[0.5] * 3, max_train=[0.85] * 3,
)


def per_year(base, months):
    return base ** (np.asarray(months, dtype=float) / 12.0)


def supply_growth_factor(initial, long, halflife, months):
    years = np.asarray(months, dtype=float) / 12.0
    excess = math.log(initial / long) * halflife / math.log(2.0) * (1.0 - 0.5 ** (years / halflife))
    return np.exp(math.log(long) * years + excess)


def calendar(p):
    """engine::Calendar: everything that depends on the month alone (set-up, untimed)."""
    T, lag = p["months"], p["power_lag"]
    t = np.arange(T, dtype=float)
    ext = np.arange(T + lag, dtype=float)
    supply_ext = p["supply"] * supply_growth_factor(
        p["supply_growth"], p["supply_growth_long"], p["supply_halflife"], ext)
    decline = per_year(1.0 - p["price_decline"], t)
    pool_path = p["pool"] * per_year(p["pool_growth"], t)
    gdp_bound = p["gdp_share"] * p["gdp"] * per_year(p["gdp_growth"], t) / 12.0
    lo, hi = np.minimum(pool_path, gdp_bound), np.maximum(pool_path, gdp_bound)
    additions = lambda m: p["additions"] * per_year(p["additions_growth"], m) / 12.0
    return dict(
        algo=per_year(p["algo_progress"], t),
        demand_growth=per_year(p["growth"], t),
        price_factor=decline,
        reference_price=np.mean(p["price"]) * decline,
        gpu_base=p["gpu_price"] * 0.5 ** (t / p["price_halving"]),
        supply=supply_ext[:T],
        supply_ahead=np.array([supply_ext[m:m + lag].sum() for m in range(T)]),
        gw=p["kw_per_h100e"] * 1e-6 / per_year(p["efficiency_gain"], t),
        additions=additions(t),
        pool=lo * (1.0 + (lo / hi) ** 4) ** -0.25,  # smooth_min, k = 4
        past_additions=float(sum(additions(-k) for k in range(1, lag + 1))),
    )


class State:
    """Per-lab arrays are (N, R); per-run arrays (R,)."""


def init_state(p, cal, R, rng):
    """engine::Engine::new and engine::start::first_month (set-up, untimed)."""
    N = p["n_labs"]
    col = lambda key: np.array(p[key], dtype=float)[:, None] * np.ones((1, R))
    S = State()
    S.N, S.R = N, R
    # Month-0 demand shock, from the stationary law.
    S.x = p["shock_sigma"] * rng.standard_normal(R)
    S.half_var = 0.5 * p["shock_sigma"] ** 2
    S.innovation = math.sqrt(1.0 - p["shock_rho"] ** 2) * p["shock_sigma"]
    shock0 = np.exp(S.x - S.half_var)
    demand0 = p["d0"] * shock0
    S.quality = np.full((N, R), p["q0"])
    S.frontier0 = S.quality.max(0)
    S.fleet = col("fleet")
    S.cash = col("cash")
    S.customers = np.full((N, R), 1.0 / N)
    gw0 = cal["gw"][0]
    S.draw = S.fleet * gw0
    S.power = S.draw * (1.0 + p["headroom"])
    S.serving_rate = np.ones((N, R))  # equal qualities: k = 1
    S.demand = S.customers * demand0
    S.served = S.demand.copy()
    S.capacity = S.demand.copy()
    S.overflow_in = np.zeros((N, R))
    S.log_markup = np.zeros((N, R))
    S.price = col("price")
    funding = np.array(p["funding"])
    S.initial_share = (funding / funding.sum())[:, None] * np.ones((1, R))
    S.invest_share = S.initial_share.copy()
    funding0 = S.invest_share * cal["pool"][0]
    S.trailing_spending = funding0.copy()
    S.trailing_revenue = np.zeros((N, R))
    S.funding = np.zeros((N, R))
    S.insolvent = np.zeros((N, R), dtype=np.int64)
    S.received = np.zeros((N, R))
    # Pipelines: ring buffers (slots, N, R). Added in month m -> slot (m-1) % L, which
    # arrives (install) at the end of month m+L-1. Totals kept alongside (gpus::Counted).
    L, B = p["power_lag"], p["build_lag"]
    S.gpu_pipe = np.zeros((B, N, R))
    S.draw_pipe = np.zeros((B, N, R))
    S.draw_pipe_total = np.zeros((N, R))
    S.power_pipe = np.zeros((L, N, R))
    # Power under construction at month 0: the month-0 plan beyond what is online,
    # in equal parts over the lag, scaled down to the world's past additions.
    budget0 = col("reinvest") * (S.cash + funding0)
    share = S.fleet / S.fleet.sum(0)
    expected = np.minimum(share * cal["supply_ahead"][0], L * budget0 / cal["gpu_base"][0])
    building = np.maximum((S.draw + expected * gw0) * (1.0 + p["headroom"]) - S.power, 0.0)
    total = building.sum(0)
    building = np.where(total > cal["past_additions"], building * cal["past_additions"] / total, building)
    S.power_pipe[:] = building / L
    S.power_building = S.power_pipe.sum(0)
    # Month-0 policy decision (serve_first) for the warm start of the run in progress.
    S.powered = np.where(S.draw <= S.power, S.fleet, S.fleet * np.maximum(S.power / S.draw, 0.0))
    S.min_train, S.max_train = col("min_train"), col("max_train")
    f0 = serve_first(S, S.powered)
    S.run_months = np.array(p["run_months"], dtype=np.int64)[:, None] * np.ones((1, R), dtype=np.int64)
    age = S.run_months - np.array(p["first_release"], dtype=np.int64)[:, None]
    S.run_elapsed = age.copy()
    S.run_due = S.run_months.copy()
    S.run_compute = p["carry_over"] * p["e0"] * 10.0 ** ((S.quality - p["q0"]) / p["elo"])
    warm = np.zeros((N, R))
    for i in range(N):
        for k in range(1, int(age[i, 0]) + 1):
            warm[i] += per_year(p["algo_progress"], -k)
    S.run_compute += f0 * S.powered * p["flop"] * col("research_efficiency") * warm
    S.next_compute = np.zeros((N, R))
    S.releases = np.zeros((N, R), dtype=np.int64)
    # Constant per-lab traits as (N, 1) columns, broadcast over runs.
    S.list_price = np.array(p["price"])[:, None]
    S.relative_list = np.log(S.list_price / S.list_price.mean())
    S.brand = np.array(p["brand"])[:, None]
    S.reinvest = np.array(p["reinvest"])[:, None]
    S.flop_eff = p["flop"] * np.array(p["research_efficiency"])[:, None]
    S.serving_eff = np.array(p["serving_efficiency"])[:, None]
    S.opex_per_gw = p["opex_per_h100e"] / (p["kw_per_h100e"] * 1e-6)
    S.log_cap = math.log(p["price_cap"])
    S.capped_above = math.exp(S.log_cap / p["price_response"])
    S.train_fraction = f0
    S.counts = None
    return S


def serve_first(S, powered):
    """policy::serve_first: keep enough GPUs to serve last month's own demand."""
    cap = powered * S.serving_rate
    f = np.clip(1.0 - S.demand / np.where(cap > 0, cap, 1.0), S.min_train, S.max_train)
    return np.where(cap > 0, f, S.max_train)


def step(S, p, cal, t, rng):
    N, R = S.N, S.R
    q0, elo = p["q0"], p["elo"]

    # Deployed qualities at the start of the month (racerun recomputes the multipliers
    # only after a month with a release; here every month, for every run).
    q = S.quality
    q_best = q.max(0)
    # 3 (multipliers). Self-improvement: kappa = 0, so the relative part is 1 and only
    # the absolute part (kappa_abs per decade above q0), floored at 1, capped.
    research = np.minimum(np.maximum(1.0 + p["kappa_abs"] / elo * np.maximum(q - q0, 0.0), 1.0),
                          p["research_cap"])
    # Spillover: 10^(phi * gap / elo_per_decade), capped at 30 decades.
    spill = np.exp(np.minimum(p["phi"] * (q_best - q) / elo, MAX_LOG10) * LN10)

    # 1. Observe: only GPUs with power work.
    S.powered = np.where(S.draw <= S.power, S.fleet, S.fleet * np.maximum(S.power / S.draw, 0.0))
    # 2. Allocate: the policy's training fraction (serve_first), clamped.
    f = serve_first(S, S.powered)
    S.train_fraction = f
    training = f * S.powered
    inference = S.powered - training

    # 3. Train. Months a release slips past run_months train the next run.
    added = training * S.flop_eff * cal["algo"][t] * research * spill
    slipped = S.run_elapsed >= S.run_months
    S.next_compute += np.where(slipped, added, 0.0)
    S.run_compute += np.where(slipped, 0.0, added)
    S.run_elapsed += 1
    # racerun stops a run whose effective compute overflows a float (never here).
    if not np.isfinite(S.run_compute + S.next_compute).all():
        raise FloatingPointError(f"month {t}: effective compute overflows")

    # 4. Release (runs by months): a run that has lasted its due months draws luck and
    # a delay for the next run; its candidate ships if it beats the deployed model.
    due = S.run_elapsed >= S.run_due
    li, ri = np.nonzero(due)
    k = li.size
    luck = rng.standard_normal(k)
    delay = rng.integers(0, p["release_delay_max"] + 1, size=k)
    E = S.run_compute[li, ri]
    old_q = S.quality[li, ri]
    cand = q0 + elo * np.log10(np.where(E > 0, E, 1.0) / p["e0"]) + p["release_sigma"] * luck
    ships = (E > 0) & (cand > old_q)
    new_q = np.where(ships, cand, old_q)
    S.quality[li, ri] = new_q
    S.releases[li, ri] += ships
    # Carry-over: the next run starts with carry_over * E(q) plus what slipped months trained.
    decades = np.clip((new_q - q0) / elo, -MAX_LOG10, MAX_LOG10)
    S.run_compute[li, ri] = p["carry_over"] * p["e0"] * np.exp(decades * LN10) + S.next_compute[li, ri]
    S.next_compute[li, ri] = 0.0
    S.run_elapsed[li, ri] = 0
    S.run_due[li, ri] = S.run_months[li, ri] + delay
    shipped = np.zeros(R, dtype=bool)
    shipped[ri[ships]] = True
    if S.counts is not None:
        c = S.counts
        c["lab_months"] += N * R
        c["release_log_exp"] += k
        c["serving_exp"] += N * int(shipped.sum())
        # racerun's multipliers (spill exp for labs behind) only after a month with a release
        c["spill_exp_racerun"] += int(((q < q_best) & S.shipped_last).sum())
        c["standing_exp_racerun"] += int(((S.quality < S.quality.max(0)) & shipped).sum())
        c["boost_exp_racerun"] += int((S.quality.max(0) != q_best).sum())
        S.shipped_last = shipped
    # Serving costs (inference-time compute) follow the deployed models: recomputed for
    # the runs where a model shipped (racerun does the same).
    rows = np.nonzero(shipped)[0]
    if rows.size:
        qs = S.quality[:, rows]
        kdec = np.clip(p["infer_elasticity"] * (qs - qs.mean(0)) / elo, -1.0, 1.0)
        S.serving_rate[:, rows] = S.serving_eff / np.exp(kdec * LN10)

    # 5. Demand: growth, the frontier's gain, and a mean-one lognormal AR(1) shock.
    q = S.quality
    frontier = q.max(0)
    if t > 0:
        S.x = p["shock_rho"] * S.x + S.innovation * rng.standard_normal(R)
    shock = np.exp(S.x - S.half_var)
    boost = np.exp(np.minimum(p["eta"] * (frontier - S.frontier0) / 100.0, MAX_LOG10 * LN10))
    D = p["d0"] * cal["demand_growth"][t] * boost * shock

    # 6. Prices: the markup moves toward last month's utilisation (own demand plus the
    # overflow taken in, over capacity), capped, floored at the marginal serving cost.
    lst = S.list_price * cal["price_factor"][t]
    cost = S.opex_per_gw * S.draw / (S.fleet * S.serving_rate)
    have_cap = S.capacity > 0
    u = np.where(have_cap,
                 np.clip((S.demand + S.overflow_in) / np.where(have_cap, S.capacity, 1.0), 0.01, 100.0),
                 np.where(S.demand > 0, 100.0, 1.0))
    lm = S.log_markup
    stuck = (lm >= S.log_cap) & (u >= S.capped_above)  # at the cap and staying there
    lm = lm + p["price_adjustment"] * (p["price_response"] * np.log(u) - lm)
    lm = np.where(stuck | (lm > S.log_cap), S.log_cap, lm)
    price = lst * np.exp(lm)
    low = price < cost
    if low.any():  # below running cost: price at cost (rare)
        price = np.where(low, cost, price)
        lm = np.where(low, np.clip(np.log(cost / lst), -MAX_LOG10 * LN10, MAX_LOG10 * LN10), lm)
    S.price, S.log_markup = price, lm
    if S.counts is not None:  # racerun skips ln for `stuck`, exp for stuck or over the cap
        S.counts["price_ln_racerun"] += int((~stuck).sum()) + int(low.sum())
        S.counts["price_exp_racerun"] += int((lm < S.log_cap).sum())
    # The customers' price term, ln(p / p_ref) = ln(list / p_ref) + ln(markup), clamped.
    price_term = -p["price_sensitivity"] * np.clip(S.relative_list + lm, -LN_RELATIVE, LN_RELATIVE)
    # (price_elasticity = 0: total demand ignores price.)

    # 7. Choice: logit on quality, brand and price, max subtracted; inertia.
    util = p["beta"] * LN10 / 400.0 * q + S.brand + price_term
    e = np.exp(util - util.max(0))
    desired = e / e.sum(0)
    S.customers += p["switching"] * (desired - S.customers)

    # 8. Serve: own demand, capacity, overflow to second choices (at most N rounds), churn.
    dem = S.customers * D
    capacity = inference * S.serving_rate
    served = np.minimum(dem, capacity)
    own_over = dem - served
    overflow = own_over.sum(0)
    pool = (1.0 - p["overflow_loss"]) * overflow
    over_in = np.zeros((N, R))
    # The rounds of placement, on the runs with overflow to place and a lab with spare
    # capacity (racerun's loop breaks at once for the others; in the baseline most runs
    # have every lab sold out): each round offers what is left to the labs with spare
    # capacity in proportion to their desired shares.
    cols = np.flatnonzero((pool > 0) & (served < capacity).any(0))
    if cols.size:
        srv, cap_c, want = served[:, cols], capacity[:, cols], desired[:, cols]
        left, got = pool[cols], np.zeros((N, cols.size))
        for _ in range(N):
            open_ = srv < cap_c
            active = (left > 0) & open_.any(0)
            if S.counts is not None:  # diagnostics only (not in timed runs)
                S.counts["rounds_racerun"] += int(active.sum())
                S.counts["rounds_numpy"] += cols.size
            if not active.any():
                break
            w = np.where(open_, want, 0.0)
            weight = w.sum(0)
            share = left * w / np.where(weight > 0, weight, 1.0)
            if (active & (weight <= 0)).any():  # nobody open is wanted: equal split
                share = np.where(weight > 0, share, np.where(open_, left / np.maximum(open_.sum(0), 1), 0.0))
            spare = cap_c - srv
            take = np.where(open_, np.minimum(share, spare), 0.0)
            srv = np.where(open_ & (share >= spare), cap_c, srv + take)
            got += take
            left = np.maximum(left - take.sum(0), 0.0)
        served[:, cols], over_in[:, cols], pool[cols] = srv, got, left
    # Each lab's unserved demand: its overflow times the share of all overflow not placed
    # (the part that waits, overflow_loss, included); `spilled`: the part that looked
    # for a second choice and found no room.
    has_over = overflow > 0
    safe_over = np.where(has_over, overflow, 1.0)
    placed = (1.0 - p["overflow_loss"]) * overflow - pool
    unplaced = np.where(has_over, np.clip(1.0 - placed / safe_over, 0.0, 1.0), 0.0)
    unserved = own_over * unplaced
    # Churn: each lab loses churn_unserved * spilled / D of the market, moved to the
    # other labs in proportion to their desired shares. `spilled`: the part of its
    # overflow that looked for a second choice and found no room. (racerun skips the
    # runs with nothing spilled; here nearly every run spills, so all are computed.)
    spilled = own_over * np.where(has_over, np.clip(pool / safe_over, 0.0, 1.0), 0.0)
    lost = np.maximum(np.minimum(p["churn_unserved"] * spilled / D, S.customers), 0.0)
    others = desired.sum(0) - desired
    per_other = np.where(others > 0, lost / np.where(others > 0, others, 1.0), 0.0)
    S.customers = np.clip(S.customers - lost + desired * (per_other.sum(0) - per_other), 0.0, 1.0)
    S.demand, S.capacity, S.served, S.overflow_in, S.unserved = dem, capacity, served, over_in, unserved

    # 9. Money: revenue, scarcity rent, running costs (by power drawn), trailing revenue.
    ref = cal["reference_price"][t]
    revenue = S.price * served
    S.rent = np.maximum(S.price - ref, 0.0) * served
    opex = S.opex_per_gw * np.minimum(S.power, S.draw)
    S.trailing_revenue += (revenue - S.trailing_revenue) / 12.0
    # Investors: shares move toward a mix of month-0 shares, trailing revenue and
    # standing (racerun recomputes the standing weights only after a release).
    standing = np.exp((q - frontier) / p["standing_scale"])
    rev_sum = S.trailing_revenue.sum(0)
    by_revenue = np.where(rev_sum > 0, S.trailing_revenue / np.where(rev_sum > 0, rev_sum, 1.0),
                          S.initial_share)
    by_standing = standing / standing.sum(0)
    stay = max(1.0 - p["follow_revenue"] - p["follow_leader"], 0.0)
    target = stay * S.initial_share + p["follow_revenue"] * by_revenue + p["follow_leader"] * by_standing
    S.invest_share += p["adjustment"] * (target - S.invest_share)
    cash_now = S.cash + revenue - opex
    burn = np.maximum(S.trailing_spending - S.trailing_revenue, 0.0)
    need = np.maximum(p["runway_months"] * burn - cash_now, 0.0)
    S.funding = np.minimum(S.invest_share * cal["pool"][t], need)

    # 10. Buy power and GPUs.
    base, gw, supply = cal["gpu_base"][t], cal["gw"][t], cal["supply"][t]
    # Insolvency: a lab long in deficit sells GPUs (never in the baseline's median run).
    sales = np.zeros((N, R))
    insolvent = S.insolvent >= p["insolvency_months"]
    if insolvent.any():
        short = -(cash_now + S.funding)
        sell = insolvent & (short > 0) & (S.fleet > 0)
        sold = np.where(sell, np.minimum(short / (p["resale"] * base), 0.25 * S.fleet), 0.0)
        S.draw *= 1.0 - sold / np.where(S.fleet > 0, S.fleet, 1.0)
        S.fleet -= sold
        sales = sold * p["resale"] * base
    available = cash_now + S.funding + sales
    budget = S.reinvest * np.maximum(available, 0.0)
    # Power: plan for fleet, pipeline and the GPUs expected over the lag, plus headroom;
    # the labs together start at most the world's additions (pro rata when short).
    L, B = p["power_lag"], p["build_lag"]
    if t > 0:
        share = S.received / cal["supply"][t - 1]
    else:
        share = S.fleet / S.fleet.sum(0)
    expected = np.minimum(share * cal["supply_ahead"][t], L * budget / base)
    want = np.maximum((S.draw + S.draw_pipe_total + expected * gw) * (1.0 + p["headroom"])
                      - (S.power + S.power_building), 0.0)
    want = np.minimum(want, budget / p["power_price"])
    wanted = want.sum(0)
    adds = cal["additions"][t]
    granted = np.where(wanted > adds, want * (adds / np.where(wanted > 0, wanted, 1.0)), want)
    S.power_pipe[(t - 1) % L] += granted
    S.power_building += granted
    power_cost = np.minimum(granted * p["power_price"], budget)
    budget = budget - power_cost
    # GPUs: orders within the power online by the time they arrive; the price rises
    # with excess orders (response 0.5: a square root), supply rationed pro rata to orders.
    due_power = S.power_pipe[t % L] + S.power_pipe[(t + 1) % L] + S.power_pipe[(t + 2) % L]
    spare = S.power + due_power - S.draw - S.draw_pipe_total
    room = np.where(spare > 0, np.minimum(spare / gw, 1e300), 0.0)
    can = (budget > 0) & (room > 0)
    order = np.where(can, np.minimum(budget / base, room), 0.0)
    wanted = order.sum(0)
    mult = np.where(wanted > supply, np.minimum(np.sqrt(wanted / supply), 10.0), 1.0)
    gpu_price = base * mult
    order = np.where(can, np.minimum(budget / gpu_price, room), 0.0)  # orders again at that price
    total = order.sum(0)
    received = np.where(total > supply, order * (supply / np.where(total > 0, total, 1.0)), order)
    S.received = received
    capex = received * gpu_price
    S.cash = available - capex - power_cost
    S.trailing_spending += (opex + capex + power_cost - S.trailing_spending) / 12.0
    S.insolvent = np.where(S.cash < 0, S.insolvent + 1, 0)
    S.gpu_pipe[(t - 1) % B] += received
    new_draw = received * gw
    S.draw_pipe[(t - 1) % B] += new_draw
    S.draw_pipe_total += new_draw
    # Payout: a lab that earns more than it spends (and took no money) pays out the cash
    # above its reserve.
    earns = (S.trailing_revenue > 0) & (S.trailing_revenue >= S.trailing_spending) & (S.funding == 0)
    payout = np.where(earns, np.maximum(S.cash - p["reserve_months"] * S.trailing_spending, 0.0), 0.0)
    S.cash -= payout
    # Install: arrivals, depreciation of the fleet and its draw, power coming online.
    survive = 1.0 - 1.0 / p["life_months"]
    s = t % B
    S.fleet = S.fleet * survive + S.gpu_pipe[s]
    S.gpu_pipe[s] = 0.0
    S.draw = S.draw * survive + S.draw_pipe[s]
    S.draw_pipe_total = np.maximum(S.draw_pipe_total - S.draw_pipe[s], 0.0)
    S.draw_pipe[s] = 0.0
    if s == B - 1:  # recounted once a cycle, as racerun's Counted
        S.draw_pipe_total = S.draw_pipe.sum(0)
    sp = t % L
    S.power += S.power_pipe[sp]
    S.power_building = np.maximum(S.power_building - S.power_pipe[sp], 0.0)
    S.power_pipe[sp] = 0.0
    if sp == L - 1:
        S.power_building = S.power_pipe.sum(0)
    # World values of the month, kept as racerun's WorldState does.
    S.frontier, S.total_demand, S.gpu_price, S.revenue = frontier, D, gpu_price, revenue
    S.opex, S.capex, S.power_capex, S.payout = opex, capex, power_cost, payout


def simulate(R, seed, record=False, p=P):
    """Runs R runs; returns (step-loop seconds, recorded series or None)."""
    cal = calendar(p)
    rng = np.random.default_rng(seed)
    S = init_state(p, cal, R, rng)
    T, N = p["months"], p["n_labs"]
    rec = None
    if record:
        rec = {k: np.zeros((T, N, R)) for k in
               ("quality", "train", "revenue", "customers", "fleet", "cash", "power", "funding")}
        rec["demand"] = np.zeros((T, R))
        rec["gpu_price"] = np.zeros((T, R))
    t0 = time.perf_counter()
    for t in range(T):
        step(S, p, cal, t, rng)
        if record:
            rec["quality"][t] = S.quality
            rec["train"][t] = S.train_fraction
            rec["revenue"][t] = S.revenue
            rec["customers"][t] = S.customers
            rec["fleet"][t] = S.fleet
            rec["cash"][t] = S.cash
            rec["power"][t] = S.power
            rec["funding"][t] = S.funding
            rec["demand"][t] = S.total_demand
            rec["gpu_price"][t] = S.gpu_price
    elapsed = time.perf_counter() - t0
    if record:
        rec["releases"] = S.releases
    return elapsed, rec


def lead_changes(quality, margin=10.0):
    """metrics::leaders (after the fact, untimed): a challenger takes the quality lead
    when it beats the incumbent by more than 0 and at least `margin` Elo."""
    T, N, R = quality.shape
    cur = quality[0].argmax(0)
    changes = np.zeros(R, dtype=np.int64)
    cols = np.arange(R)
    for t in range(1, T):
        best = quality[t].argmax(0)
        qb, qc = quality[t, best, cols], quality[t, cur, cols]
        take = (qb > qc) & (qb - qc >= margin)
        changes += take & (best != cur)
        cur = np.where(take, best, cur)
    return changes


def check(R, seed, outdir):
    import csv
    _, rec = simulate(R, seed, record=True)
    labs = ["alpha", "beta", "gamma"]
    with open(os.path.join(outdir, "runs.csv")) as fh:
        runs = list(csv.DictReader(fh))
    col = lambda key: np.array([float(r[key]) for r in runs])
    bands = {}
    with open(os.path.join(outdir, "bands.csv")) as fh:
        for r in csv.DictReader(fh):
            if int(r["month"]) == 119:
                bands[(r["lab"], r["series"])] = float(r["p50"])
    rows = []
    add = lambda name, npv, rrv: rows.append((name, npv, rrv))
    ch = lead_changes(rec["quality"])
    add("lead changes / run (quality, median)", np.median(ch), np.median(col("lead_changes_quality")))
    add("lead changes / run (quality, mean)", ch.mean(), col("lead_changes_quality").mean())
    for i, lab in enumerate(labs):
        add(f"final fleet {lab} (M H100e)", np.median(rec["fleet"][-1, i]) / 1e6,
            np.median(col(f"final_fleet.{lab}")) / 1e6)
    for i, lab in enumerate(labs):
        add(f"final quality {lab}", np.median(rec["quality"][-1, i]), np.median(col(f"final_quality.{lab}")))
    add("frontier at end", np.median(rec["quality"][-1].max(0)), bands[("all", "frontier")])
    for i, lab in enumerate(labs):
        add(f"final power {lab} (GW)", np.median(rec["power"][-1, i]), np.median(col(f"final_power.{lab}")))
    for i, lab in enumerate(labs):
        add(f"revenue total {lab} ($B)", np.median(rec["revenue"][:, i].sum(0)) / 1e9,
            np.median(col(f"revenue_total.{lab}")) / 1e9)
    for i, lab in enumerate(labs):
        add(f"train mean {lab}", np.median(rec["train"][:, i].mean(0)), np.median(col(f"train_mean.{lab}")))
    for i, lab in enumerate(labs):
        add(f"final share {lab}", np.median(rec["customers"][-1, i]), np.median(col(f"final_share.{lab}")))
    for i, lab in enumerate(labs):
        add(f"releases {lab}", np.median(rec["releases"][i]), np.median(col(f"releases.{lab}")))
    add("month 119 revenue alpha ($B, p50)", np.median(rec["revenue"][-1, 0]) / 1e9, bands[("alpha", "revenue")] / 1e9)
    add("month 119 cash alpha ($B, p50)", np.median(rec["cash"][-1, 0]) / 1e9, bands[("alpha", "cash")] / 1e9)
    add("month 119 funding alpha ($B, p50)", np.median(rec["funding"][-1, 0]) / 1e9, bands[("alpha", "funding")] / 1e9)
    add("month 119 demand (M H100e-mo, p50)", np.median(rec["demand"][-1]) / 1e6, bands[("all", "demand")] / 1e6)
    add("month 119 GPU price ($, p50)", np.median(rec["gpu_price"][-1]), bands[("all", "gpu_price")])
    print(f"{'quantity':42s} {'numpy':>12s} {'racerun':>12s} {'diff':>8s}")
    for name, a, b in rows:
        d = (a - b) / abs(b) * 100 if b else float("nan")
        print(f"{name:42s} {a:12.4g} {b:12.4g} {d:+7.1f}%")


def counts(R, seed, p=P):
    """Per lab-month: how often racerun computes each exp/log that it can skip (from
    this model's own states), against what the numpy step computes."""
    from collections import Counter
    cal = calendar(p)
    rng = np.random.default_rng(seed)
    S = init_state(p, cal, R, rng)
    S.counts, S.shipped_last = Counter(), np.ones(R, dtype=bool)
    for t in range(p["months"]):
        step(S, p, cal, t, rng)
    c, n, N = S.counts, S.counts["lab_months"], p["n_labs"]
    # racerun's choice skips exp for the top lab (exp_or_one); standing too (counted above).
    racerun = dict(spill=c["spill_exp_racerun"], release=2 * c["release_log_exp"],
                   serving=c["serving_exp"], shock=n / N, boost=c["boost_exp_racerun"],
                   price_ln=c["price_ln_racerun"], price_exp=c["price_exp_racerun"],
                   choice=n * (N - 1) / N, standing=c["standing_exp_racerun"])
    numpy_ = dict(spill=n, release=2 * c["release_log_exp"], serving=c["serving_exp"],
                  shock=n / N, boost=n / N, price_ln=n, price_exp=n, choice=n, standing=n)
    print(f"{'exp/log per lab-month':24s} {'numpy':>8s} {'racerun':>8s}")
    for k in numpy_:
        print(f"{k:24s} {numpy_[k] / n:8.3f} {racerun[k] / n:8.3f}")
    print(f"{'total':24s} {sum(numpy_.values()) / n:8.3f} {sum(racerun.values()) / n:8.3f}")
    print(f"overflow rounds (run-rounds per run-month): numpy {N * c['rounds_numpy'] / n:.3f}, "
          f"racerun {N * c['rounds_racerun'] / n:.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--block", type=int, default=0, help="runs per block (0: all at once)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--check", metavar="DIR", help="compare medians with a racerun output directory")
    ap.add_argument("--counts", action="store_true",
                    help="count transcendental calls and overflow rounds against racerun's (untimed)")
    a = ap.parse_args()
    if a.check:
        check(a.runs, a.seed, a.check)
        return
    if a.counts:
        counts(a.runs, a.seed)
        return
    N, T = P["n_labs"], P["months"]
    block = a.block or a.runs
    rates = []
    for rep in range(a.repeat):
        secs, done, b = 0.0, 0, 0
        while done < a.runs:
            r = min(block, a.runs - done)
            s, _ = simulate(r, a.seed + 1000 * rep + b)
            secs += s
            done += r
            b += 1
        rate = a.runs * N * T / secs
        rates.append(rate)
        print(f"repeat {rep + 1}: {secs:.3f} s in the step loop, {rate / 1e6:.3f}M lab-months/s")
    rates.sort()
    print(f"numpy {np.__version__}: {a.runs} runs x {N} labs x {T} months, block {block}: "
          f"median {rates[len(rates) // 2] / 1e6:.3f}M lab-months/s "
          f"(min {rates[0] / 1e6:.3f}M, max {rates[-1] / 1e6:.3f}M)")


if __name__ == "__main__":
    main()
