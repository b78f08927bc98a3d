#!/usr/bin/env bash
# A merge racing an append (both started in the background, the append a little later,
# many times, copy-on-write and merge-on-read). Run r merges the keys of block r
# (ids r*1000 .. r*1000+999, every row updated to q=r) while the append adds one row
# tagged q=-r: in odd runs a key of block r itself, in even runs a key beyond every
# merge's range. Whatever the interleaving:
#   - the append always lands and its row is never lost;
#   - a merge that lands has replaced every row of its block exactly once;
#   - a merge that fails names a conflict (or the key the append stored twice) and left
#     nothing of itself;
#   - a merge never lands on top of an append of one of its keys (it must fail: it
#     would have missed the row, or stored its key twice);
#   - a merge always lands when the append's key is outside its range.
# Then two merges race on disjoint keys of one data file: each either lands whole or
# fails with a conflict; no update is lost and no key is stored twice.
source "$(dirname "$0")/lib_cli.bash"
source "$(dirname "$0")/lib_load.bash"
source "$(dirname "$0")/lib_duckdb.bash"
source "$(dirname "$0")/lib_merge.bash"

RUNS=8
retry=(--property commit.retry.num-retries=20 --property commit.retry.min-wait-ms=5
  --property commit.retry.max-wait-ms=100)
stmts=("COPY (SELECT range AS id, 0::INTEGER AS q FROM range($(((RUNS + 1) * 1000))))
  TO '$D/base.parquet'")
for r in $(seq 1 $RUNS); do
  key=$([ $((r % 2)) = 1 ] && echo $((r * 1000 + 5)) || echo $((1000000 + r)))
  stmts+=("COPY (SELECT range AS id, ($r)::INTEGER AS q FROM range($((r * 1000)), $((r * 1000 + 1000))))
    TO '$D/m$r.parquet'" "COPY (SELECT ($key)::BIGINT AS id, (-$r)::INTEGER AS q) TO '$D/a$r.parquet'")
done
duck "${stmts[@]}" >/dev/null || fail "duckdb: inputs"

# check_run TABLE R: the outcome of run R against the rules above ($TMP/race.* hold
# the two processes' output and status); prints the outcome's name.
check_run() {
  "$ICESTREAM" snapshots --json --warehouse "$WH" "$1" >"$TMP/race.snaps" 2>&1
  rows "$1" >"$TMP/race.rows"
  python3 - "$2" "$TMP" <<'PY'
import json, sys
r, tmp = int(sys.argv[1]), sys.argv[2]
def text(name):
    return open(f"{tmp}/race.{name}").read()
problems = []
overlap = r % 2 == 1
akey = r * 1000 + 5 if overlap else 1000000 + r
snaps = json.loads(text("snaps"))
rows = [json.loads(l) for l in text("rows").splitlines()]
if text("arc").strip() != "0":
    problems.append("append failed: " + text("aerr"))
merged = text("mrc").strip() == "0"
by_key = {}
for row in rows:
    by_key.setdefault(row["id"], []).append(row["q"])
if by_key.get(akey, []).count(-r) != 1:
    problems.append(f"append row ({akey}, {-r}) is not there exactly once: {by_key.get(akey)}")
block = [by_key.get(k, []) for k in range(r * 1000, r * 1000 + 1000)]
if merged:
    m = json.loads(text("mout"))
    for k, qs in zip(range(r * 1000, r * 1000 + 1000), block):
        others = [q for q in qs if q != r and not (k == akey and q == -r)]
        if qs.count(r) != 1 or others:
            problems.append(f"merged: key {k} holds {qs}")
            break
    parent = {str(s["snapshot-id"]): str(s.get("parent-snapshot-id")) for s in snaps}
    a = json.loads(text("aout")) if text("arc").strip() == "0" else None
    after_append = a is not None and parent.get(str(m["snapshot_id"])) == str(a["snapshot_id"])
    if overlap and after_append:
        problems.append("the merge landed on top of an append of one of its keys")
    outcome = ("merge after append" if after_append else "merge first") + f" (attempts {m['attempts']})"
else:
    err = text("merr")
    if not overlap:
        problems.append("merge failed though the append's key is outside its range: " + err)
    elif "concurrent commit" not in err and "stored more than once" not in err:
        problems.append("merge failed without a conflict: " + err)
    for k, qs in zip(range(r * 1000, r * 1000 + 1000), block):
        if [q for q in qs if q != -r] != [0]:
            problems.append(f"failed merge left key {k} as {qs}")
            break
    outcome = "merge failed: " + ("conflict" if "concurrent commit" in err else "stored twice")
dups = [k for k, qs in by_key.items() if len(qs) > 1 and not (len(qs) == 2 and -(k // 1000) in qs and k % 1000 == 5)]
if dups:
    problems.append(f"keys stored more than once: {dups[:5]}")
for p in problems:
    print("PROBLEM: " + p)
print(outcome)
PY
}

for mode in copy-on-write merge-on-read; do
  t=db.race_${mode//-/_}
  set_props "$mode"
  merge "$t" --merge-key id "${props[@]}" "${retry[@]}" "$D/base.parquet"
  expect_ok "$mode: create"
  snaps=1
  for r in $(seq 1 $RUNS); do
    ("$ICESTREAM" load --warehouse "$WH" --mode merge --merge-key id --json "$t" "$D/m$r.parquet" \
      >"$TMP/race.mout" 2>"$TMP/race.merr"; echo $? >"$TMP/race.mrc") &
    sleep "0.$((RANDOM % 2))$((RANDOM % 10))"
    ("$ICESTREAM" load --warehouse "$WH" --json "$t" "$D/a$r.parquet" \
      >"$TMP/race.aout" 2>"$TMP/race.aerr"; echo $? >"$TMP/race.arc") &
    wait
    out=$(check_run "$t" "$r") || fail "$mode run $r: the check itself failed: $out"
    echo "$mode run $r: $(echo "$out" | tail -1)"
    while read -r line; do fail "$mode run $r: ${line#PROBLEM: }"; done < <(echo "$out" | grep '^PROBLEM: ')
    [ "$(cat "$TMP/race.mrc")" = 0 ] && snaps=$((snaps + 1))
    snaps=$((snaps + 1))
    expect_eq "$mode run $r: snapshots" "$(snapcount "$t")" "$snaps"
  done
done

# ---- merge against merge: ids 0..999 to q=1 and 3000..3999 to q=2, same data file
duck "COPY (SELECT range AS id, 0::INTEGER AS q FROM range(5000)) TO '$D/mm0.parquet'" \
  "COPY (SELECT range AS id, 1::INTEGER AS q FROM range(1000)) TO '$D/mm1.parquet'" \
  "COPY (SELECT range AS id, 2::INTEGER AS q FROM range(3000, 4000)) TO '$D/mm2.parquet'" \
  >/dev/null || fail "duckdb: merge race inputs"
for mode in copy-on-write merge-on-read; do
  t=db.mm_${mode//-/_}
  set_props "$mode"
  merge "$t" --merge-key id "${props[@]}" "${retry[@]}" "$D/mm0.parquet"
  expect_ok "$mode: create for merge against merge"
  for r in 1 2 3 4; do
    for w in 1 2; do
      ("$ICESTREAM" load --warehouse "$WH" --mode merge "$t" "$D/mm$w.parquet" \
        >/dev/null 2>"$TMP/mm.err$w"; echo $? >"$TMP/mm.rc$w") &
      [ $w = 1 ] && sleep "0.0$((RANDOM % 10))"
    done
    wait
    rows "$t" >"$TMP/mm.rows"
    got=$(python3 - "$TMP" <<'PY'
import collections, json, sys
tmp = sys.argv[1]
q = collections.defaultdict(list)
for l in open(f"{tmp}/mm.rows"):
    row = json.loads(l)
    q[row["id"]].append(row["q"])
out = []
if sorted(q) != list(range(5000)) or any(len(v) != 1 for v in q.values()):
    out.append("keys missing or stored twice")
for w, (lo, hi) in ((1, (0, 1000)), (2, (3000, 4000))):
    landed = open(f"{tmp}/mm.rc{w}").read().strip() == "0"
    err = open(f"{tmp}/mm.err{w}").read()
    if not landed and "concurrent commit" not in err:
        out.append(f"merge {w} failed without a conflict: {err}")
    if any(q[k] != [w if landed else 0] for k in range(lo, hi)):
        out.append(f"merge {w} {'landed but its update is lost' if landed else 'failed but left rows'}")
print("; ".join(out) or "ok")
PY
    )
    expect_eq "$mode merge against merge $r" "$got" ok
    merge "$t" "$D/mm0.parquet" # back to q=0 for the next round
    expect_ok "$mode: reset after round $r"
  done
done
finish
