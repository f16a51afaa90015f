#!/usr/bin/env python3
"""Reads what tests/scan/run.sh left in var/scan/ and decides.

sqlmap and wapiti exit 0 whatever they find, so their output is parsed:

  sqlmap   var/scan/sqlmap/NAME.log (its console output) and
           var/scan/sqlmap/NAME/ (its output folder: the per-host log, which
           holds every injection point it identified, and the results CSV)
  wapiti   var/scan/wapiti/NAME.json (its JSON report) and
           var/scan/wapiti/NAME/session/*.db (what it crawled and attacked)
  Kore     var/scan/kore.log: a crashed worker, or a 500, is a finding too

A finding is: an injection point sqlmap reports (identified, vulnerable,
injectable, a positive heuristic), a vulnerability in wapiti's report for
its modules, an anomaly wapiti reports (a 500 or a time-out on a probe), a
500 in the server's request log, or a crashed worker.  A scan that could
not run to its end, or tested nothing, fails too: silence is not a pass.

usage: report.py SCAN_DIR TARGETS_TSV SECONDS_TOTAL SECONDS_SQLMAP
       SECONDS_WAPITI [NAME ...]   (NAME: the sqlmap targets that ran)
Exit status 0 only with no finding and no failed scan.
"""

import csv
import glob
import json
import os
import re
import sqlite3
import sys

TESTING = re.compile(
    r"testing for SQL injection on (?:\(custom\) )?(?:(\w+) )?"
    r"parameter '([^']+)'")
CLEAN = re.compile(r"parameter '([^']+)' does not seem to be injectable")
# What sqlmap says when it has found something: always findings (the
# clean verdicts, "might not be injectable", "do not appear to be
# injectable", never match these).
FOUND = [
    re.compile(r"sqlmap identified the following injection point"),
    re.compile(r"parameter '[^']+' is vulnerable"),
    re.compile(r"parameter '[^']+' is '.*' injectable"),
    re.compile(r"might be injectable"),
    re.compile(r"might be vulnerable to"),
]
# What it says on the way, about the parameter under test: a candidate,
# which it then tries to confirm.  It stands unless sqlmap ends that
# parameter with "does not seem to be injectable" or calls it a false
# positive.  (The length limits of parameters give such candidates: a
# short payload gets the page, a long one a 422.)
CANDIDATE = [
    re.compile(r"appears to be '.*' injectable"),
    re.compile(r"appears to be UNION injectable"),
]
DROPPED = re.compile(r"false positive or unexploitable injection point")

# wapiti's report categories for the modules run (sql also reports
# blind SQL when timing shows it).
WAPITI_CATEGORIES = {
    "sql": ["SQL Injection", "Blind SQL Injection"],
    "xss": ["Cross Site Scripting"],
    "exec": ["Command execution"],
    "crlf": ["CRLF Injection"],
}

CRASH = re.compile(r"sandbox violation|AddressSanitizer|runtime error:|"
                   r"worker .* exited with|fatal|bug id=")
REQ_LINE = re.compile(r"^req id=(\S+) method=(\S+) path=(\S+) route=(.*?) "
                      r"status=(\d+)")


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def short(line, n=300):
    line = line.strip()
    return line if len(line) <= n else line[:n] + " ..."


def sqlmap_target(scan, name):
    """(tested params, findings, dropped candidates, problems)"""
    log = read(os.path.join(scan, "sqlmap", name + ".log"))
    tested, names, clean = [], [], set()
    findings, dropped, problems = [], [], []
    current, candidates = None, []
    for line in log.splitlines():
        m = TESTING.search(line)
        if m:
            p = (m.group(1) + " " if m.group(1) else "") + m.group(2)
            if p not in tested:
                tested.append(p)
                names.append(m.group(2))
            findings.extend(candidates)
            current, candidates = m.group(2), []
            continue
        m = CLEAN.search(line)
        if m:
            clean.add(m.group(1))
            if m.group(1) == current:
                dropped.extend(candidates)
                candidates = []
            continue
        if DROPPED.search(line):
            dropped.extend(candidates)
            candidates = []
            continue
        if any(r.search(line) for r in FOUND):
            findings.append(short(line))
        elif any(r.search(line) for r in CANDIDATE):
            candidates.append(short(line))
        if "[CRITICAL]" in line:
            problems.append(short(line))
    findings.extend(candidates)
    # The output folder: sqlmap writes every injection point it identified
    # to the host's log, and one CSV row per point.
    out = os.path.join(scan, "sqlmap", name)
    for hostlog in glob.glob(os.path.join(out, "*", "log")):
        text = read(hostlog).strip()
        if text:
            findings.append("%s: %s" % (os.path.relpath(hostlog, scan),
                                        short(text, 2000)))
    for results in glob.glob(os.path.join(out, "results-*.csv")):
        with open(results, newline="", encoding="utf-8",
                  errors="replace") as f:
            rows = [r for r in csv.reader(f) if r]
        for row in rows[1:]:
            line = "%s: %s" % (os.path.relpath(results, scan), ", ".join(row))
            # sqlmap lists a point it dismissed after its own
            # false-positive check too, with that note: listed, not
            # a finding (as the same verdict in its log).
            if "false positive or unexploitable" in row[-1]:
                dropped.append(line)
            else:
                findings.append(line)
    if "[*] ending @" not in log:
        problems.append("sqlmap did not run to its end")
    if not tested:
        problems.append("sqlmap tested no parameter")
    # Every parameter tested ends "does not seem to be injectable", unless
    # sqlmap found something (then it stops).
    for p, n in zip(tested, names):
        if n not in clean and not findings:
            problems.append("no verdict for parameter '%s'" % p)
    return tested, findings, dropped, problems


def wapiti_scan(scan, name):
    """(crawled, attacked per module, findings, problems)"""
    base = os.path.join(scan, "wapiti", name)
    findings, problems, crawled, attacked = [], [], [], {}
    try:
        with open(base + ".json", encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        return [], {}, [], ["no JSON report (%s)" % e]
    vulns = report.get("vulnerabilities", {})
    for module, categories in WAPITI_CATEGORIES.items():
        for cat in categories:
            for v in vulns.get(cat, []):
                findings.append("%s (%s): %s %s parameter %s: %s\n%s" % (
                    cat, module, v.get("method"), v.get("path"),
                    v.get("parameter"), v.get("info"),
                    v.get("http_request", "").strip()))
    for cat, items in vulns.items():
        if items and not any(cat in c for c in WAPITI_CATEGORIES.values()):
            for v in items:
                findings.append("%s: %s %s: %s" % (cat, v.get("method"),
                                                   v.get("path"),
                                                   v.get("info")))
    for cat, items in report.get("anomalies", {}).items():
        for v in items:
            findings.append("anomaly %s: %s %s parameter %s: %s\n%s" % (
                cat, v.get("method"), v.get("path"), v.get("parameter"),
                v.get("info"), v.get("http_request", "").strip()))
    dbs = glob.glob(os.path.join(base, "session", "*.db"))
    if not dbs:
        problems.append("no wapiti session database")
    for db in dbs:
        con = sqlite3.connect(db)
        try:
            seen = set()
            for pid, method, path in con.execute(
                    "SELECT path_id, method, path FROM paths WHERE evil = 0"
                    " ORDER BY path_id"):
                query = "&".join(
                    "%s=%s" % (k, v or "") for k, v in con.execute(
                        "SELECT name, value1 FROM params WHERE path_id = ?"
                        " AND type = 'GET' ORDER BY param_order", (pid,)))
                fields = ",".join(
                    k for (k,) in con.execute(
                        "SELECT name FROM params WHERE path_id = ? AND"
                        " type <> 'GET' ORDER BY param_order", (pid,)))
                item = "%s %s%s%s" % (
                    method, re.sub(r"^https?://[^/]+", "", path),
                    "?" + query if query else "",
                    " [" + fields + "]" if fields else "")
                if item not in seen:
                    seen.add(item)
                    crawled.append(item)
            for module, count in con.execute(
                    "SELECT module_name, count(*) FROM attack_log"
                    " GROUP BY module_name"):
                attacked[module] = count
        finally:
            con.close()
    log = read(base + ".log")
    if "Traceback" in log:
        problems.append("wapiti raised an exception (see %s.log)" % base)
    if "A report has been generated" not in log:
        problems.append("wapiti did not finish its report")
    if not crawled:
        problems.append("wapiti crawled nothing")
    for module in WAPITI_CATEGORIES:
        if module not in attacked:
            problems.append("module %s attacked nothing" % module)
    return crawled, attacked, findings, problems


def kore_findings(scan):
    findings = []
    errors = {}
    for line in read(os.path.join(scan, "kore.log")).splitlines():
        m = REQ_LINE.match(line)
        if m:
            if m.group(5) == "500":
                key = m.group(4)
                errors[key] = errors.get(key, 0) + 1
            continue
        if CRASH.search(line):
            findings.append("kore.log: " + short(line))
    for route, n in sorted(errors.items()):
        findings.append("kore.log: %d answers 500 on %s (request ids in "
                        "the log)" % (n, route))
    return findings


def main():
    scan, targets_tsv = sys.argv[1], sys.argv[2]
    total, sq_s, wp_s = sys.argv[3:6]
    ran = sys.argv[6:]
    targets = []
    with open(targets_tsv, encoding="utf-8") as f:
        for line in f:
            name, flags, method, path = line.rstrip("\n").split("\t")[:4]
            if name in ran:
                targets.append((name, flags, method, path))

    findings, problems, dropped_all = [], [], []
    summary = []
    endpoints = set()
    nparams = 0
    for name, flags, method, path in targets:
        tested, f, dropped, p = sqlmap_target(scan, name)
        nparams += len(tested)
        findings += ["sqlmap %s %s (%s): %s" % (method, path, name, x)
                     for x in f]
        problems += ["sqlmap %s %s (%s): %s" % (method, path, name, x)
                     for x in p]
        dropped_all += ["sqlmap %s %s (%s): %s" % (method, path, name, x)
                        for x in dropped]
        summary.append("  %-6s %s  (%s)\n         %s" % (
            method, path, name, ", ".join(tested) or "(nothing tested)"))
        endpoints.add((method, path.split("?")[0].replace("*", "")))

    wapiti = []
    for name in ("anonymous", "signed-in"):
        if not os.path.exists(os.path.join(scan, "wapiti", name + ".log")):
            continue
        crawled, attacked, f, p = wapiti_scan(scan, name)
        findings += ["wapiti %s: %s" % (name, x) for x in f]
        problems += ["wapiti %s: %s" % (name, x) for x in p]
        wapiti.append((name, crawled, attacked))

    findings += kore_findings(scan)

    print("== summary")
    print("sqlmap: %d endpoints in %d runs, %d injection points tested "
          "(level 5, risk 3; logs in %s/sqlmap/):" % (
              len(endpoints), len(targets), nparams, scan))
    print("\n".join(summary))
    if wapiti:
        print("wapiti: modules %s (reports in %s/wapiti/):" % (
            ", ".join(WAPITI_CATEGORIES), scan))
        for name, crawled, attacked in wapiti:
            print("  %s: %d pages and forms crawled; attacked per module: "
                  "%s" % (name, len(crawled), ", ".join(
                      "%s %d" % kv for kv in sorted(attacked.items()))))
            for c in crawled:
                print("    " + c)
    if dropped_all:
        print("candidates sqlmap itself dropped as false positives "
              "(not findings):")
        for d in dropped_all:
            print("  " + d)
    if problems:
        print("scans that did not run properly:")
        for p in problems:
            print("  " + p)
    if findings:
        print("FINDINGS:")
        for x in findings:
            print("  " + x.replace("\n", "\n    "))
    print("findings: %d" % len(findings))
    print("duration: %ss (sqlmap %ss, wapiti %ss)" % (total, sq_s, wp_s))
    return 1 if findings or problems else 0


if __name__ == "__main__":
    sys.exit(main())
