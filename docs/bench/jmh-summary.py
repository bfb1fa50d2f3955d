#!/usr/bin/env python3
"""Summarizes a JMH JSON result as the figures docs/benchmarks.md reports.

Each JMH fork is one run: its score is the mean of its measurement iterations. The table gives,
per benchmark and parameter set, the median over forks and the spread (lowest and highest fork).

    python3 docs/bench/jmh-summary.py common/target/jmh-result.json
"""
import json
import statistics
import sys


def main(path):
    with open(path) as f:
        results = json.load(f)
    print("| benchmark | params | threads | runs | median | spread (min - max) | unit |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for result in results:
        name = result["benchmark"].rsplit(".", 2)
        name = name[-2] + "." + name[-1]
        params = ", ".join(f"{k}={v}" for k, v in sorted(result.get("params", {}).items())) or "-"
        metric = result["primaryMetric"]
        forks = [statistics.mean(iterations) for iterations in metric["rawData"]]
        print(f"| {name} | {params} | {result['threads']} | {len(forks)} | {statistics.median(forks):,.0f}"
              f" | {min(forks):,.0f} - {max(forks):,.0f} | {metric['scoreUnit']} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "common/target/jmh-result.json")
