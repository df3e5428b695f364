#!/usr/bin/env python3
"""What the host's CPUs did while compare-peers.sh ran: one line per interval.

    host_sampler.py OUTPUT [--interval SECONDS] [--samples N]

Each line: UTC time, then per CPU its busy and steal percent over the interval, then the three
processes that used the most CPU in it (percent of one CPU, name, pid). A paired ratio that sits
at an odd level for a stretch of a run (docs/PERFORMANCE.md, "Acceptance targets") can then be laid
beside what else ran and what the hypervisor took. Runs until killed, or for N samples. Reads
/proc only (Linux).
"""
import argparse
import os
import sys
import time


def cpu_times():
    """{cpu name: (busy ticks, steal ticks, all ticks)} from /proc/stat, one entry per CPU."""
    times = {}
    with open("/proc/stat") as stat:
        for line in stat:
            fields = line.split()
            if not fields[0].startswith("cpu") or fields[0] == "cpu":
                continue
            ticks = [int(v) for v in fields[1:]]
            idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
            steal = ticks[7] if len(ticks) > 7 else 0
            # guest time is already counted in user; leave it out of the total
            total = sum(ticks[:8])
            times[fields[0]] = (total - idle - steal, steal, total)
    return times


def process_ticks():
    """{pid: (name, user + system ticks)} for every process that can be read."""
    ticks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stat:
                text = stat.read()
        except OSError:
            continue  # the process ended between the listing and the read
        name = text[text.index("(") + 1:text.rindex(")")]
        rest = text[text.rindex(")") + 2:].split()
        ticks[int(entry)] = (name, int(rest[11]) + int(rest[12]))
    return ticks


def line(before, after, procs_before, procs_after, seconds, hz):
    parts = [time.strftime("%H:%M:%S", time.gmtime())]
    for cpu in sorted(after, key=lambda name: int(name[3:])):
        busy = after[cpu][0] - before[cpu][0]
        steal = after[cpu][1] - before[cpu][1]
        total = max(after[cpu][2] - before[cpu][2], 1)
        parts.append("%s busy %3.0f%% steal %2.0f%%" % (cpu, 100.0 * busy / total, 100.0 * steal / total))
    used = []
    for pid, (name, ticks) in procs_after.items():
        earlier = procs_before.get(pid)
        # by pid only: a kernel worker renames itself as it takes other work
        spent = ticks - (earlier[1] if earlier else 0)
        if spent > 0:
            used.append((spent, name, pid))
    used.sort(reverse=True)
    top = ", ".join("%.0f%% %s %d" % (100.0 * spent / hz / seconds, name, pid) for spent, name, pid in used[:3])
    parts.append("top: " + (top or "-"))
    return " | ".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds per line (default 5)")
    parser.add_argument("--samples", type=int, default=0, help="lines to write, 0 for until killed")
    args = parser.parse_args()
    if args.interval <= 0:
        parser.error("--interval must be positive, got %s" % args.interval)
    hz = os.sysconf("SC_CLK_TCK")
    before, procs_before, started = cpu_times(), process_ticks(), time.monotonic()
    written = 0
    with open(args.output, "a") as out:
        while args.samples == 0 or written < args.samples:
            time.sleep(args.interval)
            after, procs_after, now = cpu_times(), process_ticks(), time.monotonic()
            out.write(line(before, after, procs_before, procs_after, now - started, hz) + "\n")
            out.flush()
            before, procs_before, started = after, procs_after, now
            written += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
