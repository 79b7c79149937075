#!/usr/bin/env python3
"""Whole-process start-up of several programs, interleaved so a shared machine's load falls on each alike.

usage: startup.py ROUNDS NAME::ENV=V,ENV2=V::COMMAND [NAME::ENV::COMMAND ...]
  e.g. startup.py 40 "hello::::/tmp/hello" "aot::::artifacts/publish/linux-x64/licenserisk score samples/vendors/qwen.yaml"
       "aot, server GC::DOTNET_gcServer=1::artifacts/publish/linux-x64/licenserisk score samples/vendors/qwen.yaml"
Each round runs every program once (the order alternates between rounds; two rounds of warm-up
first), from the repository root, output discarded. Prints per program the median wall time and
the median CPU time (user + system of the process and its children, from wait4) and the load.
"""
import os, statistics, subprocess, sys, time

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
rounds = int(sys.argv[1])
programs = []
for spec in sys.argv[2:]:
    name, env, command = spec.split("::")
    e = dict(os.environ)
    e.update(dict(kv.split("=", 1) for kv in env.split(",") if kv))
    programs.append((name, e, command.split()))
times = {name: ([], []) for name, _, _ in programs}
for r in range(rounds + 2):
    for name, env, command in programs if r % 2 == 0 else programs[::-1]:
        start = time.perf_counter()
        p = subprocess.Popen(command, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        if r >= 2:
            times[name][0].append(wall * 1000)
            times[name][1].append((usage.ru_utime + usage.ru_stime) * 1000)
print(f"{rounds} interleaved rounds, load average {' '.join(open('/proc/loadavg').read().split()[:3])}")
for name, (wall, cpu) in times.items():
    print(f"{name:40s} wall median {statistics.median(wall):7.1f} ms (min {min(wall):7.1f})  CPU median {statistics.median(cpu):7.1f} ms")
