#!/usr/bin/env python3
"""Turns the raw measurements bench/run left in its work directory into the summary JSON
(the keys of issue 7 first, in order, then extra keys) and prints the table.

    report.py --work DIR --out bench/results/<timestamp>.json

A measure that did not run is null in the JSON and says why in the table; nothing is ever
estimated or carried over from another run.
"""

import argparse
import json
import os
import sys

# The keys issue 7 asks for, in its order. Every one is present in every summary.
REQUIRED = ["machine", "jdk", "S1_median_s", "S1_baseline_median_s", "S2_calls_per_s",
            "H1_rps", "H1_p99_ms", "H1_cpu_us_per_req", "H2_ratio", "H3_p99_ms", "H3_p999_ms",
            "M1_stdio_rss_mb", "M1_http_rss_mb", "J1_cached_us", "J1_cold_us"]

# JMH benchmark -> (key, unit the score is reported in)
JMH_KEYS = {
    "dev.entramcp.bench.jmh.PolicyEvaluationBenchmark.allowed": "J1_policy_ns",
    "dev.entramcp.bench.jmh.PolicyEvaluationBenchmark.deniedMissingRole": "J1_policy_denied_ns",
    "dev.entramcp.bench.jmh.CallToolBenchmark.whoami": "J1_call_tool_us",
    "dev.entramcp.bench.jmh.CallToolBenchmark.whoamiAuditLine": "J1_call_tool_audit_line_us",
    "dev.entramcp.bench.jmh.CallToolBenchmark.userProfile": "J1_call_tool_profile_us",
    "dev.entramcp.bench.jmh.CallToolBenchmark.sendMailRefused": "J1_call_tool_refused_us",
    "dev.entramcp.bench.jmh.CallToolBenchmark.listToolsForBob": "J1_list_tools_us",
    "dev.entramcp.bench.jmh.BearerValidationBenchmark.cached": "J1_cached_us",
    "dev.entramcp.bench.jmh.BearerValidationBenchmark.cold": "J1_cold_us",
    "dev.entramcp.bench.jmh.BearerValidationBenchmark.coldMiss": "J1_cold_miss_us",
}


def load(work, name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def build(work):
    meta = load(work, "meta.json")
    out = {key: None for key in REQUIRED}
    out["machine"] = meta["machine"]
    out["jdk"] = meta["jdk"]
    extra = {"date": meta["date"], "git_commit": meta["git_commit"], "git_dirty": meta["git_dirty"],
             "app_local_jar_built": meta["app_local_jar_built"], "quick": meta["quick"], "cores": meta["cores"],
             "load_avg_1m_start": meta["load_start"]}
    notes = dict(load(work, "skipped.json") or {})

    emulator = load(work, "emulator.json")
    if emulator:
        extra["S1_emulator_start_s"] = emulator["start_s"]

    s1 = load(work, "s1.json")
    if s1:
        extra["S1_runs"] = meta["s1_runs"]
        extra["S1_tuned_flags"] = meta["tuned_flags"]
        for variant, prefix in [("app", "S1"), ("app_appcds", "S1_appcds"), ("app_tuned", "S1_tuned"),
                                ("baseline", "S1_baseline"), ("baseline_appcds", "S1_baseline_appcds"),
                                ("baseline_tuned", "S1_baseline_tuned"), ("demo", "S1_demo"),
                                ("demo_tuned", "S1_demo_tuned"), ("compare", "S1_compare")]:
            if variant not in s1:
                continue
            timed = s1[variant]["tools_list_s"]
            extra[prefix + "_median_s"] = timed["median"]
            extra[prefix + "_min_s"] = timed["min"]
            extra[prefix + "_max_s"] = timed["max"]
            extra[prefix + "_initialize_median_s"] = s1[variant]["initialize_s"]["median"]
            extra[prefix + "_cpu_s"] = s1[variant]["cpu_s"]["median"]
        out["S1_median_s"] = extra.pop("S1_median_s")
        out["S1_baseline_median_s"] = extra.pop("S1_baseline_median_s")
        extra["S1_ratio"] = ratio(out["S1_median_s"], out["S1_baseline_median_s"])
        extra["S1_appcds_ratio"] = ratio(extra.get("S1_appcds_median_s"), extra.get("S1_baseline_appcds_median_s"))
        extra["S1_tuned_ratio"] = ratio(extra.get("S1_tuned_median_s"), extra.get("S1_baseline_tuned_median_s"))
        extra["S1_values_s"] = s1["app"]["tools_list_s"]["values"]

    s2 = load(work, "s2.json")
    if s2:
        out["S2_calls_per_s"] = s2["calls_per_s"]
        extra.update({"S2_calls": s2["calls"], "S2_warmup": s2["warmup"], "S2_p50_ms": s2["p50_ms"],
                      "S2_p99_ms": s2["p99_ms"], "S2_max_ms": s2["max_ms"],
                      "S2_cpu_us_per_call": s2["cpu_us_per_call"], "M1_stdio_after_s2_hwm_mb": s2["vmhwm_after_mb"]})
    s2_baseline = load(work, "s2_baseline.json")
    if s2_baseline:
        extra["S2_baseline_calls_per_s"] = s2_baseline["calls_per_s"]
        extra["S2_baseline_p99_ms"] = s2_baseline["p99_ms"]
    s2_compare = load(work, "s2_compare.json")
    if s2_compare:
        extra["S2_compare_calls_per_s"] = s2_compare["calls_per_s"]
        extra["S2_compare_cpu_us_per_call"] = s2_compare["cpu_us_per_call"]

    m1 = load(work, "m1.json")
    if m1:
        out["M1_stdio_rss_mb"] = m1["VmHWM_mb"]
        extra["M1_stdio_rss_now_mb"] = m1["VmRSS_mb"]
    for name, key in [("m1_tuned.json", "M1_stdio_tuned_rss_mb"), ("m1_baseline.json", "M1_baseline_rss_mb")]:
        data = load(work, name)
        if data:
            extra[key] = data["VmHWM_mb"]

    jmh = (load(work, "jmh.json") or []) + (load(work, "jmh-bearer.json") or [])
    if jmh:
        for result in jmh:
            key = JMH_KEYS.get(result["benchmark"])
            if key and result.get("mode") == "sample":
                # Sampled: the median is the cost of one operation; the mean also counts the times
                # the thread was descheduled by the neighbours. Both are kept.
                metric = result["primaryMetric"]
                percentiles = metric["scorePercentiles"]
                extra[key] = round(percentiles["50.0"], 3)
                extra[key + "_mean"] = round(metric["score"], 3)
                extra[key + "_p99"] = round(percentiles["99.0"], 3)
                extra[key + "_error"] = None
            elif key:
                metric = result["primaryMetric"]
                extra[key] = round(metric["score"], 3 if key.endswith("_us") else 1)
                error = metric["scoreError"]  # 99.9% confidence half-width; "NaN" with too few iterations
                extra[key + "_error"] = round(error, 3 if key.endswith("_us") else 1) \
                    if isinstance(error, (int, float)) and error == error else None

    for key in ("J1_cached_us", "J1_cold_us"):
        if key in extra:
            out[key] = extra.pop(key)

    http = load(work, "http.json")
    if http and "H1" in http:
        h1, h2 = http["H1"], http["H2"]
        out["H1_rps"] = h1["rps"]
        out["H1_p99_ms"] = h1["p99_ms"]
        out["H1_cpu_us_per_req"] = h1["cpu_us_per_req"]
        out["H2_ratio"] = http["H2_ratio"]
        out["M1_http_rss_mb"] = http["M1_http"]["VmHWM_mb"]
        extra.update({"H1_p50_ms": h1["p50_ms"], "H1_max_ms": h1["max_ms"], "H1_requests": h1["requests"],
                      "H1_seconds": h1["seconds"], "H1_segments": h1["segments"],
                      "H2_rps": h2["rps"], "H2_p50_ms": h2["p50_ms"], "H2_p99_ms": h2["p99_ms"],
                      "H2_cpu_us_per_req": h2["cpu_us_per_req"], "H2_cpu_ratio": http["H2_cpu_ratio"],
                      "H2_segments": h2["segments"], "HTTP_load": "2 threads, 16 connections",
                      "HTTP_warmup_s": http["warmup_s"], "HTTP_segment_s": http["segment_s"],
                      "HTTP_rounds": http["rounds"], "HTTP_load_avg_1m_start": http["load_1m_start"],
                      "HTTP_load_avg_1m_end": http.get("load_1m_end"),
                      "M1_http_rss_now_mb": http["M1_http"]["VmRSS_mb"],
                      "M1_http_off_hwm_mb": http["M1_http"]["off_VmHWM_mb"]})
        if "H3" in http:
            h3 = http["H3"]
            out["H3_p99_ms"] = h3["p99_ms"]
            out["H3_p999_ms"] = h3["p999_ms"]
            extra.update({"H3_rate_per_s": h3["rate_per_s"], "H3_duration_s": h3["duration_s"],
                          "H3_requests": h3["requests"], "H3_p50_ms": h3["p50_ms"], "H3_p90_ms": h3["p90_ms"],
                          "H3_max_ms": h3["max_ms"], "H3_mean_ms": h3["mean_ms"],
                          "H3_sender_max_lag_ms": h3["sender_max_lag_ms"],
                          "H3_server_cpu_us_per_req": h3.get("server_cpu_us_per_req")})

    extra["load_avg_1m_end"] = meta.get("load_end")
    extra["not_measured"] = notes
    out.update(extra)
    return out


def fmt(value, unit, digits=3):
    if value is None:
        return "null"
    return ("%." + str(digits) + "f %s") % (value, unit)


def verdict(value, ok):
    if value is None:
        return "not measured"
    return "pass" if ok(value) else "MISS"


def table(r):
    rows = []

    def row(measure, value, target, result):
        rows.append((measure, value, target, result))

    notes = r.get("not_measured", {})
    if r["S1_median_s"] is not None:
        row("S1 spawn->tools/list, java -jar (median of %d)" % r["S1_runs"],
            "%s (min %.3f, max %.3f)" % (fmt(r["S1_median_s"], "s"), r["S1_min_s"], r["S1_max_s"]),
            "<= 1.0 s", verdict(r["S1_median_s"], lambda v: v <= 1.0))
        row("S1 / bare-JVM baseline (%.3f s)" % r["S1_baseline_median_s"], fmt(r["S1_ratio"], "x", 2),
            "<= 2x", verdict(r["S1_ratio"], lambda v: v <= 2.0))
        for prefix, label in [("S1_appcds", "S1 with AppCDS archive"), ("S1_tuned", "S1 AppCDS + C1 + SerialGC")]:
            if r.get(prefix + "_median_s") is not None:
                row(label, fmt(r[prefix + "_median_s"], "s"), "<= 1.0 s",
                    verdict(r[prefix + "_median_s"], lambda v: v <= 1.0))
                row(label + " / baseline alike", fmt(r[prefix + "_ratio"], "x", 2), "<= 2x",
                    verdict(r[prefix + "_ratio"], lambda v: v <= 2.0))
        if r.get("S1_demo_median_s") is not None:
            row("S1 --demo (in-process emulator + sign-in)", fmt(r["S1_demo_median_s"], "s"), "-", "info")
        if r.get("S1_demo_tuned_median_s") is not None:
            row("S1 --demo, AppCDS + C1 + SerialGC", fmt(r["S1_demo_tuned_median_s"], "s"), "-", "info")
        if r.get("S1_compare_median_s") is not None:
            row("S1 --compare-jar", fmt(r["S1_compare_median_s"], "s"), "-", "info")
        if r.get("S1_emulator_start_s") is not None:
            row("emulator start (apart from S1)", fmt(r["S1_emulator_start_s"], "s"), "-", "info")
    else:
        row("S1", "null", "<= 1.0 s, <= 2x baseline", notes.get("S1_median_s", "not run"))
    if r["S2_calls_per_s"] is not None:
        row("S2 tools/call whoami, sequential", "%.0f calls/s (p50 %.3f ms, p99 %.3f ms)"
            % (r["S2_calls_per_s"], r["S2_p50_ms"], r["S2_p99_ms"]),
            ">= 3000 calls/s", verdict(r["S2_calls_per_s"], lambda v: v >= 3000))
        row("S2 server CPU per call", fmt(r["S2_cpu_us_per_call"], "us", 0), "-", "info")
        if r.get("S2_baseline_calls_per_s") is not None:
            row("S2 bare-JVM baseline", "%.0f calls/s" % r["S2_baseline_calls_per_s"], "-", "info")
        if r.get("S2_compare_calls_per_s") is not None:
            row("S2 --compare-jar", "%.0f calls/s" % r["S2_compare_calls_per_s"], "-", "info")
    else:
        row("S2", "null", ">= 3000 calls/s", notes.get("S2_calls_per_s", "not run"))
    if r["M1_stdio_rss_mb"] is not None:
        row("M1 stdio VmHWM, idle after tools/list", fmt(r["M1_stdio_rss_mb"], "MB", 1), "<= 130 MB",
            verdict(r["M1_stdio_rss_mb"], lambda v: v <= 130))
        if r.get("M1_stdio_tuned_rss_mb") is not None:
            row("M1 stdio, AppCDS + C1 + SerialGC", fmt(r["M1_stdio_tuned_rss_mb"], "MB", 1), "<= 130 MB",
                verdict(r["M1_stdio_tuned_rss_mb"], lambda v: v <= 130))
    else:
        row("M1 stdio", "null", "<= 130 MB", notes.get("M1_stdio_rss_mb", "not run"))
    def jmh(key, unit, digits):
        error = r.get(key + "_error")
        return ("%." + str(digits) + "f %s") % (r[key], unit) + ("" if error is None else (" (+/- %." + str(digits) + "f)") % error)

    if r.get("J1_policy_ns") is not None:
        row("J1 policy evaluation, allowed", jmh("J1_policy_ns", "ns", 1), "-", "info")
        row("J1 policy evaluation, denied", jmh("J1_policy_denied_ns", "ns", 1), "-", "info")
        row("J1 tools/call whoami via CallToolService", jmh("J1_call_tool_us", "us", 3), "-", "info")
        row("J1 ... with the audit JSON line", jmh("J1_call_tool_audit_line_us", "us", 3), "-", "info")
    else:
        row("J1 policy, tools/call", "null", "-", notes.get("J1_policy_ns", "not run"))
    def sampled(key):
        return "%.2f us median (mean %.2f, p99 %.2f)" % (r[key], r[key + "_mean"], r[key + "_p99"])

    if r["J1_cached_us"] is not None:
        row("J1 bearer validation, cached token", sampled("J1_cached_us"), "<= 5 us",
            verdict(r["J1_cached_us"], lambda v: v <= 5))
        row("J1 bearer validation, cold RS256", sampled("J1_cold_us"), "<= 80 us",
            verdict(r["J1_cold_us"], lambda v: v <= 80))
        if r.get("J1_cold_miss_us") is not None:
            row("J1 ... cold, through a cache that misses", sampled("J1_cold_miss_us"), "-", "info")
    if r["H1_rps"] is not None:
        row("H1 tools/call whoami, auth on, 16 conn.", "%.0f req/s (p50 %.2f ms, p99 %.2f ms)"
            % (r["H1_rps"], r["H1_p50_ms"], r["H1_p99_ms"]), ">= 8000 req/s, p99 <= 25 ms",
            verdict(r["H1_rps"], lambda v: v >= 8000 and r["H1_p99_ms"] <= 25))
        row("H1 server CPU per request", fmt(r["H1_cpu_us_per_req"], "us", 0), "-", "info")
        row("H2 auth on / auth off (interleaved)", "%.3f (off: %.0f req/s, %.0f us CPU/req)"
            % (r["H2_ratio"], r["H2_rps"], r["H2_cpu_us_per_req"]), ">= 0.90", verdict(r["H2_ratio"], lambda v: v >= 0.90))
        row("M1 HTTP VmHWM after H1", fmt(r["M1_http_rss_mb"], "MB", 1), "<= 250 MB",
            verdict(r["M1_http_rss_mb"], lambda v: v <= 250))
    if r["H3_p99_ms"] is not None:
        row("H3 open loop at %d req/s (50%% of H1)" % r["H3_rate_per_s"], "p50 %.2f, p99 %.2f, p99.9 %.2f ms"
            % (r["H3_p50_ms"], r["H3_p99_ms"], r["H3_p999_ms"]), "p99 <= 5 ms", verdict(r["H3_p99_ms"], lambda v: v <= 5))
    for key, label, target in [("J1_cached_us", "J1 bearer validation, cached token", "<= 5 us"),
                               ("J1_cold_us", "J1 bearer validation, cold RS256", "<= 80 us"),
                               ("H1_rps", "H1 HTTP throughput with auth", ">= 8000 req/s, p99 <= 25 ms"),
                               ("H2_ratio", "H2 auth on / auth off", ">= 0.90"),
                               ("H3_p99_ms", "H3 p99 at 50% of H1", "<= 5 ms"),
                               ("M1_http_rss_mb", "M1 HTTP VmHWM after H1", "<= 250 MB")]:
        if r[key] is None:
            row(label, "null", target, notes.get(key, "not run"))
    widths = [max(len(str(x[i])) for x in rows + [("measure", "value", "target", "result")]) for i in range(4)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(("measure", "value", "target", "result"), widths)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(x, widths)) for x in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    summary = build(args.work)
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(table(summary))
    print("\n%s, %s, %s; load average %s at start, %s at end" % (
        summary["date"], summary["machine"], summary["jdk"], summary["load_avg_1m_start"], summary["load_avg_1m_end"]))


if __name__ == "__main__":
    sys.exit(main())
