"""Cross-check xuewei's student-proposing deferred acceptance against the Python
`matching` package (1.4.3, `HospitalResident`, resident-optimal) on the same instances.

Run through `run.sh`, which builds xuewei, makes the venv and passes the binaries' paths:

    bash benches/compare/run.sh [--sizes 10000,100000] [--seed 2016] [--runs 11] [--keep DIR]

For every size n it
1. generates a seeded instance (n pupils, n/100 schools, lists of 10 schools drawn with
   popularity weight (i+1)^-0.8, seats 1.05 n spread evenly; every school ranks its
   applicants strictly: by a pupil tier (3 levels, the same at every school) and then a
   school-specific random number) and writes it as `xuewei match` JSON;
2. reads that JSON back and builds the `matching` game from it (the one source of both
   solvers), solves it resident-optimally and times construction and solve apart;
3. times xuewei's `deferred_acceptance` in process (median of --runs runs, parse excluded)
   with the `da_from_json` example, and `xuewei match` end to end (process start, parse,
   solve, write the result JSON; median of 3);
4. compares the three matchings pupil by pupil and checks stability independently.

With strict priorities the pupil-optimal stable matching is unique, so student-proposing DA
and the resident-optimal Gale-Shapley of `matching` must agree exactly. Exits 1 on any
mismatch or instability.
"""

import argparse
import bisect
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings

MATCHING_VERSION = "1.4.3"


def generate(n, seed, list_len=10, skew=0.8, seat_ratio=1.05, tiers=3):
    """A seeded instance in the `xuewei match` JSON interchange format (a dict)."""
    rng = random.Random(seed)
    m = max(n // 100, 1)
    list_len = min(list_len, m)
    cumulative, total = [], 0.0
    for i in range(m):
        total += (i + 1) ** -skew
        cumulative.append(total)
    seats_total = round(n * seat_ratio)
    schools = [f"S{i}" for i in range(m)]
    capacity = [seats_total // m + (1 if i < seats_total % m else 0) for i in range(m)]
    students = []
    applicants = [[] for _ in range(m)]  # (tier, school-specific number, pupil index)
    for st in range(n):
        chosen = []
        while len(chosen) < list_len:
            s = min(bisect.bisect_left(cumulative, rng.random() * total), m - 1)
            if s not in chosen:
                chosen.append(s)
        tier = rng.randrange(tiers)
        for s in chosen:
            applicants[s].append((tier, rng.random(), st))
        students.append({"id": f"p{st}", "preferences": [schools[s] for s in chosen]})
    school_records = []
    for s in range(m):
        order = sorted(applicants[s])  # strict: (tier, number) then index, never tied
        school_records.append(
            {
                "id": schools[s],
                "capacity": capacity[s],
                # One pupil per tier: a strict priority over exactly the school's applicants.
                "priority": [[students[st]["id"]] for _, _, st in order],
            }
        )
    return {"schools": school_records, "students": students}


def solve_matching(instance):
    """Solve with `matching`'s HospitalResident, resident-optimal. Returns the pupil ->
    school map (None = unplaced), the construction and solve times, and the warnings the
    package raised while checking the input."""
    from matching.games import HospitalResident

    resident_prefs = {p["id"]: list(p["preferences"]) for p in instance["students"]}
    hospital_prefs = {s["id"]: [t[0] for t in s["priority"]] for s in instance["schools"]}
    capacities = {s["id"]: s["capacity"] for s in instance["schools"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, capacities
        )
        construct = time.perf_counter() - start
        print(f"matching create_from_dictionaries: {fmt(construct)}; solving ...", flush=True)
        start = time.perf_counter()
        matching = game.solve(optimal="resident")
        solve = time.perf_counter() - start
    assignment = {p: None for p in resident_prefs}
    for hospital, residents in matching.items():
        for resident in residents:
            assignment[resident.name] = hospital.name
    return assignment, construct, solve, [str(w.message) for w in caught]


def solve_matching_deep(instance):
    """`solve_matching` on a thread with a large stack and recursion limit: the game's
    constructor deep-copies the players, whose preference lists link them into one chain
    as long as the instance, and Python's default limit (1000) overflows from a few
    thousand pupils on (RecursionError)."""
    result = {}

    def target():
        try:
            result["ok"] = solve_matching(instance)
        except BaseException as e:  # re-raised on the main thread
            result["err"] = e

    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(max(old_limit, 100 * len(instance["students"]) + 10_000))
    threading.stack_size(min(2**30, max(2**26, 8192 * len(instance["students"]))))
    try:
        worker = threading.Thread(target=target)
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if "err" in result:
        raise result["err"]
    return result["ok"]


def run_da_example(da, path, runs, out_tsv):
    """Time xuewei's DA in process; returns its report and the pupil -> school map."""
    report = subprocess.run(
        [da, path, str(runs), out_tsv], check=True, capture_output=True, text=True
    ).stdout
    assignment = {}
    with open(out_tsv, encoding="utf-8") as f:
        for line in f:
            pupil, school = line.rstrip("\n").split("\t")
            assignment[pupil] = school or None
    return json.loads(report), assignment


def run_cli(xuewei, path, out_json, repeats=3):
    """Time `xuewei match` end to end; returns the times and the pupil -> school map."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(
            [xuewei, "match", "--input", path, "--output", out_json],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    with open(out_json, encoding="utf-8") as f:
        return times, json.load(f)["assignment"]


def unstable_pairs(instance, assignment, limit=10):
    """Blocking pairs (pupil, school) of `assignment`, at most `limit`; also reports
    over-full schools and placements at unlisted schools."""
    problems = []
    rank = {}
    capacity = {}
    for s in instance["schools"]:
        capacity[s["id"]] = s["capacity"]
        rank[s["id"]] = {tier[0]: r for r, tier in enumerate(s["priority"])}
    held = {s: [] for s in capacity}
    for p in instance["students"]:
        school = assignment[p["id"]]
        if school is not None:
            if school not in p["preferences"]:
                problems.append(f"{p['id']} placed at unlisted {school}")
            held[school].append(rank[school][p["id"]])
    worst = {}
    for s, ranks in held.items():
        if len(ranks) > capacity[s]:
            problems.append(f"{s} holds {len(ranks)} pupils for {capacity[s]} seats")
        worst[s] = max(ranks) if len(ranks) >= capacity[s] and ranks else None
    for p in instance["students"]:
        school = assignment[p["id"]]
        for s in p["preferences"]:
            if s == school:
                break
            if worst[s] is None or rank[s][p["id"]] < worst[s]:
                problems.append(f"blocking pair: {p['id']} and {s} (placed at {school})")
                break
        if len(problems) >= limit:
            break
    return problems


def compare(names, maps, limit=20):
    """Pupils on whom the maps differ, as printable lines (at most `limit`) and a count."""
    base = maps[0]
    lines, count = [], 0
    for other_name, other in zip(names[1:], maps[1:]):
        if set(other) != set(base):
            count += 1
            lines.append(f"{names[0]} and {other_name} list different pupils")
            continue
        for pupil, school in base.items():
            if other[pupil] != school:
                count += 1
                if len(lines) < limit:
                    lines.append(
                        f"{pupil}: {names[0]} {school}, {other_name} {other[pupil]}"
                    )
    return lines, count


def fmt(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000", help="pupil counts, comma-separated")
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--runs", type=int, default=11, help="in-process xuewei runs (median)")
    ap.add_argument("--keep", help="write the instances and results here (kept)")
    ap.add_argument("--xuewei", required=True, help="path of the xuewei binary")
    ap.add_argument("--da", required=True, help="path of the da_from_json example")
    args = ap.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    import matching

    if matching.__version__ != MATCHING_VERSION:
        sys.exit(f"matching {matching.__version__} installed, {MATCHING_VERSION} expected")
    if any(n > 10_000 for n in sizes):
        print(
            "warning: Python's matching takes minutes above 10 000 pupils "
            "(more than 5 minutes at 100 000)",
            flush=True,
        )

    work = args.keep or tempfile.mkdtemp(prefix="xuewei-compare-")
    os.makedirs(work, exist_ok=True)
    failed = False
    summary = []
    try:
        for n in sizes:
            print(f"\n== {n} pupils, seed {args.seed}", flush=True)
            start = time.perf_counter()
            instance = generate(n, args.seed)
            path = os.path.join(work, f"instance-{n}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(instance, f, separators=(",", ":"))
            with open(path, encoding="utf-8") as f:
                instance = json.load(f)  # the file is the single source of both solvers
            seats = sum(s["capacity"] for s in instance["schools"])
            entries = sum(len(p["preferences"]) for p in instance["students"])
            print(
                f"instance: {len(instance['students'])} pupils, {len(instance['schools'])}"
                f" schools, {seats} seats, {entries} list entries, strict priorities"
                f" ({fmt(time.perf_counter() - start)} to generate) -> {path}",
                flush=True,
            )

            report, da_map = run_da_example(
                args.da, path, args.runs, os.path.join(work, f"xuewei-da-{n}.tsv")
            )
            print(
                f"xuewei DA in process: median {fmt(report['solve_median'])}, min "
                f"{fmt(report['solve_min'])} over {report['runs']} runs "
                f"(parse + validate {fmt(report['parse_and_validate'])}, not timed); "
                f"{report['placed']} placed, {report['proposals']} proposals",
                flush=True,
            )
            cli_times, cli_map = run_cli(
                args.xuewei, path, os.path.join(work, f"xuewei-match-{n}.json")
            )
            cli = statistics.median(cli_times)
            print(f"xuewei match end to end: median {fmt(cli)} of {len(cli_times)}", flush=True)

            print(f"matching {MATCHING_VERSION}: building the game ...", flush=True)
            py_map, construct, solve, caught = solve_matching_deep(instance)
            print(
                f"matching solve(optimal='resident'): {fmt(solve)} "
                f"(+ {fmt(construct)} create_from_dictionaries = {fmt(construct + solve)}); "
                f"{sum(v is not None for v in py_map.values())} placed",
                flush=True,
            )
            if caught:
                print(f"matching warned {len(caught)} times about the input, e.g. {caught[0]}")

            lines, count = compare(
                ["matching", "xuewei-da", "xuewei-match"], [py_map, da_map, cli_map]
            )
            problems = unstable_pairs(instance, da_map)
            if count or problems:
                failed = True
                print(f"MISMATCH: {count} differences")
                for line in lines + problems:
                    print(f"  {line}")
            else:
                print(
                    f"identical: all {n} pupils get the same school from matching, xuewei's "
                    "DA and xuewei match; the matching is stable",
                    flush=True,
                )
            ratio = solve / report["solve_median"]
            print(
                f"ratio (matching solve / xuewei solve median): {ratio:,.0f}x; "
                f"incl. construction: {(construct + solve) / report['solve_median']:,.0f}x; "
                f"vs xuewei match end to end: {(construct + solve) / cli:,.0f}x",
                flush=True,
            )
            summary.append((n, solve, construct, report["solve_median"], cli, ratio, count))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print("\n| pupils | matching solve | + construction | xuewei solve (median) | ratio "
          "| xuewei match end to end | identical |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for n, solve, construct, rust, cli, ratio, count in summary:
        print(
            f"| {n} | {fmt(solve)} | {fmt(construct + solve)} | {fmt(rust)} | {ratio:,.0f}x "
            f"| {fmt(cli)} | {'yes' if not count else f'no ({count})'} |"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
