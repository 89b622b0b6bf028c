#!/usr/bin/env python3
"""Runs cfn-lint, checkov and cfn-guard (AWS Control Tower proactive rules) on
every golden template in test/testdata and fails on any finding that
skips.json does not list with its reason. A skip that no longer matches
anything also fails, so the list stays true.

Usage: scanners/scan.py [TEMPLATE_DIR]   (run by `make scan`, part of `make test`)
"""
import fnmatch
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
GUARD = os.path.join(ROOT, "node_modules", "@cdklabs", "cdk-validator-cfnguard")
# The Control Tower rule sets for what the stack creates.
GUARD_RULE_SETS = ["elasticloadbalancing", "ec2", "ec2autoscaling", "cloudwatch", "keymanagementservice", "s3", "identityandaccessmanagement"]


def run(cmd):
    """Runs a scanner; its exit code only says whether it found something."""
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    return proc, time.monotonic() - started


def scenario(path):
    return os.path.splitext(os.path.basename(path))[0]


def cfn_lint(templates):
    proc, secs = run([os.path.join(BIN, "cfn-lint"), "--format", "json", *templates])
    if proc.returncode not in (0, 2, 4, 6, 8, 10, 12, 14) or not proc.stdout.strip():
        if proc.returncode == 0:
            return [], secs
        sys.exit(f"cfn-lint failed ({proc.returncode}):\n{proc.stderr}")
    found = []
    for m in json.loads(proc.stdout):
        path = m.get("Location", {}).get("Path") or []
        resource = path[1] if len(path) > 1 and path[0] == "Resources" else "-"
        found.append(("cfn-lint", m["Rule"]["Id"], scenario(m["Filename"]), resource, m["Message"]))
    return found, secs


def checkov(template_dir):
    proc, secs = run([os.path.join(BIN, "checkov"), "-d", template_dir, "--framework", "cloudformation",
                      "--skip-download", "--quiet", "--compact", "-o", "json"])
    if proc.returncode not in (0, 1):
        sys.exit(f"checkov failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    report = json.loads(proc.stdout) if proc.stdout.strip() else {}
    reports = report if isinstance(report, list) else [report]
    found = []
    for r in reports:
        for c in r.get("results", {}).get("failed_checks", []):
            resource = c["resource"].split(".", 1)[-1]
            found.append(("checkov", c["check_id"], scenario(c["file_path"]), resource, c["check_name"]))
    return found, secs


def cfn_guard(template_dir):
    binary = os.path.join(GUARD, "bin", "ubuntu", "x86_64", "cfn-guard")
    rules = os.path.join(GUARD, "rules", "control-tower", "cfn-guard")
    cmd = [binary, "validate", "-d", template_dir, "-z", "-S", "none", "-o", "json"]
    for rule_set in GUARD_RULE_SETS:
        cmd += ["-r", os.path.join(rules, rule_set)]
    proc, secs = run(cmd)
    if proc.returncode not in (0, 19):
        sys.exit(f"cfn-guard failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    found = set()
    for result in json.loads(proc.stdout):
        for nc in result.get("not_compliant", []):
            ids, resources = set(), set()
            collect(nc, ids, resources)
            for ct in ids or {nc["Rule"]["name"]}:
                for res in resources or {"-"}:
                    found.add(("cfn-guard", ct, scenario(result["name"]), res, nc["Rule"]["name"]))
    return sorted(found), secs


def collect(node, ids, resources):
    """Finds the Control Tower ids ([CT.EC2.PR.13] -> ct-ec2-pr-13) and the
    resources (/Resources/<id>/...) in a cfn-guard result."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "custom_message" and isinstance(v, str):
                ids.update(m.lower().replace(".", "-") for m in re.findall(r"\[(CT\.[A-Z0-9.]+)\]", v))
            elif k == "path" and isinstance(v, str):
                m = re.match(r"/Resources/([^/]+)", v)
                if m:
                    resources.add(m.group(1))
            else:
                collect(v, ids, resources)
    elif isinstance(node, list):
        for v in node:
            collect(v, ids, resources)


def main():
    template_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join("test", "testdata")
    templates = sorted(os.path.join(template_dir, f) for f in os.listdir(os.path.join(ROOT, template_dir)) if f.endswith(".json"))
    with open(os.path.join(ROOT, "scanners", "skips.json")) as f:
        skips = json.load(f)
    for s in skips:
        if len(s.get("reason", "")) < 20:
            sys.exit(f"skip {s} needs a reason a reviewer would accept")

    # The three tools read the same files and write nothing, so they run
    # side by side (each is one process, mostly on one core).
    scans = (("cfn-lint", lambda: cfn_lint(templates)), ("checkov", lambda: checkov(template_dir)),
             ("cfn-guard", lambda: cfn_guard(template_dir)))
    with ThreadPoolExecutor(max_workers=len(scans)) as pool:
        running = [(name, pool.submit(scan)) for name, scan in scans]
    findings, timings = [], {}
    for name, future in running:
        found, timings[name] = future.result()
        findings += found

    used = defaultdict(int)
    failed = []
    per = defaultdict(lambda: [0, 0])
    for tool, rule, scen, resource, message in findings:
        skip = next((i for i, s in enumerate(skips) if s["tool"] == tool and s["rule"] == rule
                     and any(fnmatch.fnmatch(scen, p) for p in s["scenarios"])
                     and fnmatch.fnmatch(resource, s.get("resource", "*"))), None)
        per[(tool, scen)][0 if skip is None else 1] += 1
        if skip is None:
            failed.append(f"{tool} {rule} {scen} {resource}: {message.strip().splitlines()[0]}")
        else:
            used[skip] += 1
    stale = [f"{s['tool']} {s['rule']} {s['scenarios']}" for i, s in enumerate(skips) if not used[i]]

    scenarios = [scenario(t) for t in templates]
    width = max([len("scenario")] + [len(s) for s in scenarios])
    print(f"{'scenario':{width}} " + " ".join(f"{t:>24}" for t in ("cfn-lint", "checkov", "cfn-guard")))
    for scen in scenarios:
        print(f"{scen:{width}} " + " ".join(f"{per[(t, scen)][0]:>6} found {per[(t, scen)][1]:>3} skipped" for t in ("cfn-lint", "checkov", "cfn-guard")))
    print("seconds: " + ", ".join(f"{t} {s:.1f}" for t, s in timings.items()))
    for line in failed:
        print("FINDING " + line)
    for line in stale:
        print("STALE SKIP (matches nothing; remove it) " + line)
    passed = len(scenarios) * 3 - len({(t, s) for t, _, s, _, _ in findings if per[(t, s)][0]})
    print(f"{passed} passed, {len(scenarios) * 3 - passed} failed")
    return 1 if failed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
