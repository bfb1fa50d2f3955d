#!/usr/bin/env python3
"""Draws docs/images/scale-dissemination.svg from the scale benchmark's results.csv (medians over runs).

Usage: python3 docs/bench/scale-plot.py client/localnet/target/scale-bench/results.csv docs/images/scale-dissemination.svg
Standard library only. Three panels against peers per organization (log2 axis), each with a log10 value axis:
the last peer's commit after the orderers' (p50, ms), the orderers' bytes per block, the leader's push bytes per block.
"""
import csv
import math
import statistics
import sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1])))
out = sys.argv[2]
modes = [m for m in ("linear", "tree", "pull") if any(r["mode"] == m for r in rows)]
labels = {"linear": "leader pushes to every peer", "tree": "leader pushes along a relay tree (fanout 3)",
          "pull": "every peer pulls (no super nodes)"}
colors = {"linear": "#d62728", "tree": "#2ca02c", "pull": "#1f77b4"}
panels = [("p50_ms", "last peer's commit after the orderers', p50 (ms)", 1),
          ("orderer_bytes_per_block", "bytes the orderers send per block (KiB)", 1024),
          ("leader_bytes_per_block", "bytes each leader pushes per block (KiB)", 1024)]
values = defaultdict(list)
for r in rows:
    for key, _, scale in panels:
        values[(r["mode"], int(r["peers_per_org"]), key)].append(float(r[key]) / scale)
sizes = sorted({int(r["peers_per_org"]) for r in rows})
W, H, PW, PH, X0, Y0 = 1260, 400, 330, 270, 70, 50
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>']
for p, (key, title, _) in enumerate(panels):
    x0 = X0 + p * (PW + 90)
    meds = {(m, n): statistics.median(values[(m, n, key)]) for m in modes for n in sizes if values[(m, n, key)]}
    positive = [v for v in meds.values() if v > 0]
    lo = 10 ** math.floor(math.log10(min(positive))) if positive else 1
    hi = 10 ** math.ceil(math.log10(max(positive))) if positive else 10
    if hi <= lo:
        hi = lo * 10
    def y(v):
        return Y0 + PH - PH * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    def x(n):
        return x0 + PW * sizes.index(n) / max(1, len(sizes) - 1)
    svg.append(f'<text x="{x0}" y="{Y0 - 18}" font-weight="bold">{title}</text>')
    svg.append(f'<rect x="{x0}" y="{Y0}" width="{PW}" height="{PH}" fill="none" stroke="#999"/>')
    decade = lo
    while decade <= hi * 1.0001:
        svg.append(f'<line x1="{x0}" x2="{x0 + PW}" y1="{y(decade):.1f}" y2="{y(decade):.1f}" stroke="#eee"/>')
        svg.append(f'<text x="{x0 - 4}" y="{y(decade) + 4:.1f}" text-anchor="end">{decade:g}</text>')
        decade *= 10
    for n in sizes:
        svg.append(f'<text x="{x(n):.1f}" y="{Y0 + PH + 16}" text-anchor="middle">{n}</text>')
    svg.append(f'<text x="{x0 + PW / 2}" y="{Y0 + PH + 34}" text-anchor="middle">peers per organization (two organizations)</text>')
    for m in modes:
        pts = [(x(n), y(meds[(m, n)])) for n in sizes if meds.get((m, n), 0) > 0]
        if not pts:
            continue
        svg.append('<polyline points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
                   + f'" fill="none" stroke="{colors[m]}" stroke-width="2"/>')
        svg.extend(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colors[m]}"/>' for a, b in pts)
for i, m in enumerate(modes):
    svg.append(f'<rect x="{X0 + i * 330}" y="{H - 22}" width="14" height="4" fill="{colors[m]}"/>')
    svg.append(f'<text x="{X0 + i * 330 + 20}" y="{H - 16}">{labels[m]}</text>')
svg.append("</svg>")
open(out, "w").write("\n".join(svg) + "\n")
