#!/usr/bin/env python3
"""The HTTP measures of bench/run: H1 (throughput with authentication), H2 (the same with
authentication off: the ratio), M1 (the HTTP server's peak RSS after H1) and H3 (latency at half
H1's rate, open loop, no coordinated omission).

    http_bench.py --jar bench/target/remote-bench.jar --lua bench/lib/mcp_call.lua --work DIR \
                  [--warmup 20] [--segment 15] [--rounds 2] [--h3-duration 60] [--h3-warmup 10]

It starts two servers of the same build side by side (java -jar remote-bench.jar --auth on, and
--auth off), each app-remote --demo with its own in-process emulator, on loopback. Each prints one
JSON line (URL, pid, a demo token, an open MCP session) and then serves until its stdin closes.
Both are warmed up with wrk for --warmup seconds; then H1 and H2 run interleaved: --rounds rounds
of on, off (odd rounds) or off, on (even rounds), each segment --segment seconds of wrk with 2
threads and 16 connections on tools/call whoami. Every response is checked by the Lua script; any
error stops the measure. Server CPU per request comes from /proc/<pid>/stat around each segment.
VmHWM of the authenticated server is read right after the last H1 segment (M1). H3 then runs
OpenLoopClient against the authenticated server at half H1's rate.

Results go to DIR/http.json; progress to stderr. Exit status 1 on any failed check.
"""

import argparse
import json
import os
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message):
    sys.stderr.write("[http %s] %s\n" % (time.strftime("%H:%M:%S", time.gmtime()), message))
    sys.stderr.flush()


class Server:
    """One remote-bench.jar process; its stdin stays open until stop()."""

    def __init__(self, jar, mode, work, java_options):
        self.mode = mode
        self.stderr_path = os.path.join(work, "http-server-%s.log" % mode)
        self.process = subprocess.Popen(["java"] + java_options + ["-jar", jar, "--auth", mode],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=open(self.stderr_path, "wb"))
        self.info = None
        self.config = os.path.join(work, "wrk-%s.conf" % mode)

    def ready(self, timeout=180):
        deadline = time.time() + timeout
        line = self.process.stdout.readline()
        if not line or time.time() > deadline:
            raise RuntimeError("the %s server did not start (exit %s), see %s"
                               % (self.mode, self.process.poll(), self.stderr_path))
        self.info = json.loads(line)
        # A file, 0600 in the 0700 work directory: the token never goes on a command line.
        fd = os.open(self.config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("token=%s\nsession=%s\nprotocol_version=%s\nexpect=%s\n" % (
                self.info["token"], self.info["session"], self.info["protocolVersion"], self.info["expect"]))
        return self

    @property
    def pid(self):
        return self.info["pid"]

    def cpu_seconds(self):
        fields = open("/proc/%d/stat" % self.pid).read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime

    def status_mb(self, key):
        for line in open("/proc/%d/status" % self.pid):
            if line.startswith(key + ":"):
                return round(int(line.split()[1]) / 1024, 1)
        return None

    def stop(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=30)
            except (subprocess.TimeoutExpired, BrokenPipeError):
                self.process.kill()
                self.process.wait()


def wrk(server, lua, seconds):
    """One wrk run; returns its JSON line (from the Lua done()) plus the server's CPU seconds."""
    cpu_before = server.cpu_seconds()
    result = subprocess.run(["wrk", "-t2", "-c16", "-d%ds" % seconds, "--timeout", "10s", "-s", lua,
                             server.info["url"], "--", server.config], capture_output=True, text=True)
    cpu = server.cpu_seconds() - cpu_before
    lines = [l for l in result.stdout.splitlines() if l.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError("wrk failed (%d): %s %s" % (result.returncode, result.stdout[-500:], result.stderr[-500:]))
    run = json.loads(lines[-1])
    errors = run["bad_status"] + run["wrong_body"] + run["socket_errors"]
    if errors or run["requests"] == 0:
        raise RuntimeError("%d of %d answers of the %s server were wrong (%d bad status, %d wrong body, "
                           "%d socket errors), first: %s" % (errors, run["requests"], server.mode, run["bad_status"],
                                                             run["wrong_body"], run["socket_errors"], run["first_error"]))
    run["rps"] = run["requests"] / (run["duration_us"] / 1e6)
    run["server_cpu_s"] = round(cpu, 3)
    run["cpu_us_per_req"] = cpu * 1e6 / run["requests"]
    return run


def load_1m():
    return float(open("/proc/loadavg").read().split()[0])


def summarise(segments):
    requests = sum(s["requests"] for s in segments)
    seconds = sum(s["duration_us"] for s in segments) / 1e6
    cpu = sum(s["server_cpu_s"] for s in segments)
    return {
        "rps": round(requests / seconds, 1),
        "requests": requests,
        "seconds": round(seconds, 2),
        # wrk reports percentiles per run; the worse segment is reported, never an average of percentiles
        "p50_ms": round(max(s["p50_us"] for s in segments) / 1000, 3),
        "p99_ms": round(max(s["p99_us"] for s in segments) / 1000, 3),
        "max_ms": round(max(s["max_us"] for s in segments) / 1000, 3),
        "cpu_us_per_req": round(cpu * 1e6 / requests, 1),
        "segments": [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in s.items()
                      if k in ("rps", "requests", "p50_us", "p99_us", "max_us", "cpu_us_per_req", "load_1m")}
                     for s in segments],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--lua", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--segment", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--h3-duration", type=int, default=60)
    parser.add_argument("--h3-warmup", type=int, default=10)
    parser.add_argument("--java-option", action="append", default=[],
                        help="a JVM option for both servers (bench/run passes -Xmx128m, see bench/README.md)")
    args = parser.parse_args()

    out = {"load_1m_start": load_1m(), "warmup_s": args.warmup, "segment_s": args.segment, "rounds": args.rounds,
           "wrk": "2 threads, 16 connections", "java_options": args.java_option}
    servers = {}
    try:
        log("starting the servers (auth on and off, same build)")
        servers = {mode: Server(args.jar, mode, args.work, args.java_option) for mode in ("on", "off")}
        for server in servers.values():
            server.ready()
        out["rss_after_start_mb"] = {mode: s.status_mb("VmRSS") for mode, s in servers.items()}

        for mode in ("on", "off"):
            log("warm-up, auth %s: %d s" % (mode, args.warmup))
            wrk(servers[mode], args.lua, args.warmup)

        segments = {"on": [], "off": []}
        for round_index in range(args.rounds):
            order = ("on", "off") if round_index % 2 == 0 else ("off", "on")
            for mode in order:
                run = wrk(servers[mode], args.lua, args.segment)
                run["load_1m"] = load_1m()
                segments[mode].append(run)
                log("round %d, auth %s: %.0f req/s, p99 %.1f ms, %.0f us CPU/req" % (
                    round_index + 1, mode, run["rps"], run["p99_us"] / 1000, run["cpu_us_per_req"]))
        out["H1"] = summarise(segments["on"])
        out["H2"] = summarise(segments["off"])
        out["H2_ratio"] = round(out["H1"]["rps"] / out["H2"]["rps"], 3)
        out["H2_cpu_ratio"] = round(out["H2"]["cpu_us_per_req"] / out["H1"]["cpu_us_per_req"], 3)
        out["M1_http"] = {"VmHWM_mb": servers["on"].status_mb("VmHWM"), "VmRSS_mb": servers["on"].status_mb("VmRSS"),
                          "off_VmHWM_mb": servers["off"].status_mb("VmHWM")}
        servers["off"].stop()

        rate = max(1, int(out["H1"]["rps"] * 0.5))
        log("H3: open loop at %d req/s (half of H1) for %d s after %d s of warm-up" % (rate, args.h3_duration, args.h3_warmup))
        with open(servers["on"].config) as f:
            config = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
        cpu_before = servers["on"].cpu_seconds()
        h3 = subprocess.run(["java", "-cp", args.jar, "dev.entramcp.bench.http.OpenLoopClient",
                             "--url", servers["on"].info["url"], "--token-file", servers["on"].config,
                             "--session", config["session"], "--protocol-version", config["protocol_version"],
                             "--expect", config["expect"], "--rate", str(rate), "--duration", str(args.h3_duration),
                             "--warmup", str(args.h3_warmup)], capture_output=True, text=True)
        cpu = servers["on"].cpu_seconds() - cpu_before
        lines = [l for l in h3.stdout.splitlines() if l.startswith("{")]
        if not lines:
            raise RuntimeError("H3's client failed: %s" % h3.stderr[-800:])
        out["H3"] = json.loads(lines[-1])
        out["H3"]["server_cpu_us_per_req"] = round(cpu * 1e6 / max(1, (args.h3_duration + args.h3_warmup) * rate), 1)
        if h3.returncode != 0 or out["H3"]["errors"]:
            raise RuntimeError("H3: %d of %d answers were wrong, first: %s" % (
                out["H3"]["errors"], out["H3"]["requests"], out["H3"]["first_errors"]))
        out["load_1m_end"] = load_1m()
    finally:
        for server in servers.values():
            server.stop()
        with open(os.path.join(args.work, "http.json"), "w") as f:
            json.dump(out, f, indent=2)
    log("H1 %.0f req/s, H2 %.0f req/s (ratio %.3f), H3 p99 %s ms" % (
        out["H1"]["rps"], out["H2"]["rps"], out["H2_ratio"], out["H3"]["p99_ms"]))


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as failed:
        log("error: %s" % failed)
        sys.exit(1)
