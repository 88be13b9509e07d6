#!/usr/bin/env python3
"""A minimal MCP stdio client for bench/run: times spawn -> initialize -> tools/list (S1),
sequential tools/call round trips (S2) and the idle memory of a stdio server (M1); it also drives
the untimed sessions that warm the token cache and train an AppCDS archive (exercise).

It speaks line-delimited JSON-RPC to any command (app-local, the bare-JVM baseline) and checks
every answer it times: a wrong or failed answer stops the measure with an error, it never
becomes a number. Results go to stdout as one JSON object; progress goes to stderr.

    stdio_client.py s1 --runs 10 --spec variants.jsonl     # lines of ["name", ["java", "-jar", ...]]
    stdio_client.py s2 --warmup 2000 --calls 20000 -- java -jar app-local.jar ...
    stdio_client.py m1 --idle 2 -- java -jar app-local.jar ...
    stdio_client.py exercise --call whoami,get_user_profile -- java -jar app-local.jar ...
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

PROTOCOL_VERSION = "2025-06-18"


class ServerError(Exception):
    """The server answered something a correct MCP server would not, or died."""


class Session:
    """One spawned server and its stdio pipes."""

    def __init__(self, argv, stderr_path):
        self.argv = argv
        self.stderr_file = open(stderr_path, "ab") if stderr_path else subprocess.DEVNULL
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.stderr_file)
        self.next_id = 1

    def send(self, message):
        self.process.stdin.write((json.dumps(message, separators=(",", ":")) + "\n").encode())
        self.process.stdin.flush()

    def request(self, method, params=None):
        request_id = self.next_id
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self.read_response(request_id)

    def read_response(self, request_id):
        """Reads lines until the response to request_id; notifications in between are skipped."""
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise ServerError("the server closed stdout (exit code %s) while %s waited for id %d"
                                  % (self.process.poll(), self.argv[0], request_id))
            try:
                message = json.loads(line)
            except ValueError:
                raise ServerError("stdout carried a line that is not JSON: %r" % line[:200])
            if message.get("id") == request_id:
                if "error" in message:
                    raise ServerError("request %d failed: %s" % (request_id, message["error"]))
                return message["result"]
            if "method" not in message:
                raise ServerError("unexpected response on stdout: %r" % line[:200])

    def initialize(self):
        result = self.request("initialize", {"protocolVersion": PROTOCOL_VERSION, "capabilities": {},
                                             "clientInfo": {"name": "entra-mcp-bench", "version": "1"}})
        if "serverInfo" not in result or "capabilities" not in result:
            raise ServerError("initialize result lacks serverInfo or capabilities: %r" % result)
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return result

    def list_tools(self, expected):
        result = self.request("tools/list", {})
        names = [tool["name"] for tool in result.get("tools", [])]
        missing = [name for name in expected if name not in names]
        if missing:
            raise ServerError("tools/list lacks %s (got %s)" % (missing, names))
        return names

    def close(self, timeout=30):
        """Closes stdin (the MCP way to stop a stdio server) and reaps the process.

        Returns the CPU seconds (user + system) the process used over its whole life."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            if pid != 0:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                self.process.kill()
                pid, status, usage = os.wait4(self.process.pid, 0)
                self.process.returncode = os.waitstatus_to_exitcode(status)
                raise ServerError("the server did not exit within %d s of stdin closing" % timeout)
            time.sleep(0.01)
        if self.stderr_file is not subprocess.DEVNULL:
            self.stderr_file.close()
        return usage.ru_utime + usage.ru_stime


def summary(values, digits=3):
    return {"median": round(statistics.median(values), digits), "min": round(min(values), digits),
            "max": round(max(values), digits), "values": [round(v, digits) for v in values]}


def s1(args):
    """Spawn -> initialize -> tools/list response, each variant once per round, rounds interleaved
    so that a noisy neighbour hurts every variant alike."""
    variants = {}
    with open(args.spec) as spec_file:  # JSON lines: ["name", ["java", ...]], in order
        for line in spec_file:
            if line.strip():
                name, argv = json.loads(line)
                variants[name] = argv
    expected = args.expect_tools.split(",") if args.expect_tools else []
    times = {name: [] for name in variants}
    init_times = {name: [] for name in variants}
    cpu = {name: [] for name in variants}
    for round_index in range(args.runs):
        for name, argv in variants.items():
            start = time.perf_counter()
            session = Session(argv, args.stderr)
            try:
                session.initialize()
                initialized = time.perf_counter()
                session.list_tools(expected)
                listed = time.perf_counter()
            except ServerError:
                session.process.kill()
                raise
            cpu[name].append(session.close())
            if session.process.returncode != 0:
                raise ServerError("%s exited with code %d" % (name, session.process.returncode))
            times[name].append(listed - start)
            init_times[name].append(initialized - start)
            print("  S1 round %d/%d %-22s %.3f s" % (round_index + 1, args.runs, name, listed - start), file=sys.stderr)
    return {name: {"tools_list_s": summary(times[name]), "initialize_s": summary(init_times[name]),
                   "cpu_s": summary(cpu[name])} for name in variants}


def s2(args):
    """Sequential tools/call over one session: warm-up, then measured calls, each answer checked."""
    session = Session(args.command, args.stderr)
    try:
        session.initialize()
        session.list_tools([args.tool])
        params = {"name": args.tool, "arguments": {}}
        marker = args.expect_text

        def call():
            result = session.request("tools/call", params)
            if result.get("isError"):
                raise ServerError("tools/call %s answered isError: %r" % (args.tool, result))
            text = result["content"][0]["text"]
            if marker and marker not in text:
                raise ServerError("tools/call %s answer lacks %r: %r" % (args.tool, marker, text[:200]))

        for _ in range(args.warmup):
            call()
        latencies = []
        clock = time.perf_counter_ns
        cpu_before = proc_cpu_seconds(session.process.pid)
        begin = clock()
        for _ in range(args.calls):
            before = clock()
            call()
            latencies.append(clock() - before)
        elapsed = (clock() - begin) / 1e9
        cpu_measured = proc_cpu_seconds(session.process.pid) - cpu_before
        memory = proc_memory(session.process.pid)
    except ServerError:
        session.process.kill()
        raise
    cpu = session.close()
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] / 1e6

    return {"calls": args.calls, "warmup": args.warmup, "elapsed_s": round(elapsed, 3),
            "calls_per_s": round(args.calls / elapsed, 1), "p50_ms": round(percentile(0.50), 3),
            "p99_ms": round(percentile(0.99), 3), "max_ms": round(latencies[-1] / 1e6, 3),
            "cpu_us_per_call": round(cpu_measured / args.calls * 1e6, 1),
            "process_cpu_s": round(cpu, 3), "vmhwm_after_mb": memory["VmHWM_mb"]}


def m1(args):
    """VmHWM (peak RSS) and VmRSS of the server, idle after initialize and tools/list."""
    session = Session(args.command, args.stderr)
    try:
        session.initialize()
        session.list_tools(args.expect_tools.split(",") if args.expect_tools else [])
        time.sleep(args.idle)  # a benchmark, not a test: "idle" means letting it sit
        memory = proc_memory(session.process.pid)
    except ServerError:
        session.process.kill()
        raise
    session.close()
    return memory


def exercise(args):
    """An untimed session touching every path a client uses: initialize, tools/list and the given
    tool calls, each checked. It warms a token cache and trains AppCDS archives."""
    calls = [name for name in args.call.split(",") if name]
    session = Session(args.command, args.stderr)
    try:
        session.initialize()
        names = session.list_tools(args.expect_tools.split(",") if args.expect_tools else [])
        for name in calls:
            result = session.request("tools/call", {"name": name, "arguments": {}})
            if result.get("isError"):
                raise ServerError("tools/call %s answered isError: %r" % (name, result))
    except ServerError:
        session.process.kill()
        raise
    cpu = session.close(timeout=args.exit_timeout)
    if session.process.returncode != 0:
        raise ServerError("the server exited with code %d" % session.process.returncode)
    return {"tools": names, "calls": calls, "process_cpu_s": round(cpu, 3)}


def proc_cpu_seconds(pid):
    """User + system CPU of a running process, from /proc/<pid>/stat (fields 14 and 15)."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_memory(pid):
    values = {}
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key + "_mb"] = round(int(rest.split()[0]) / 1024, 1)  # kB -> MiB
    return values


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="measure", required=True)
    p1 = commands.add_parser("s1")
    p1.add_argument("--runs", type=int, default=10)
    p1.add_argument("--spec", required=True)
    p1.add_argument("--expect-tools", default="whoami")
    p1.add_argument("--stderr")
    p2 = commands.add_parser("s2")
    p2.add_argument("--warmup", type=int, default=2000)
    p2.add_argument("--calls", type=int, default=20000)
    p2.add_argument("--tool", default="whoami")
    p2.add_argument("--expect-text", default="")
    p2.add_argument("--stderr")
    p2.add_argument("command", nargs="+")
    p3 = commands.add_parser("m1")
    p3.add_argument("--idle", type=float, default=2.0)
    p3.add_argument("--expect-tools", default="whoami")
    p3.add_argument("--stderr")
    p3.add_argument("command", nargs="+")
    p4 = commands.add_parser("exercise")
    p4.add_argument("--call", default="whoami")
    p4.add_argument("--expect-tools", default="whoami")
    p4.add_argument("--exit-timeout", type=int, default=60)
    p4.add_argument("--stderr")
    p4.add_argument("command", nargs="+")
    args = parser.parse_args()
    try:
        result = {"s1": s1, "s2": s2, "m1": m1, "exercise": exercise}[args.measure](args)
    except ServerError as failure:
        print("stdio_client: %s" % failure, file=sys.stderr)
        sys.exit(1)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
