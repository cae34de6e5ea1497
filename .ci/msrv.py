#!/usr/bin/env python3
"""Checks that the workspace's declared rust-version is what the locked dependencies need.

The declared version must be at least the highest `rust-version` of any locked dependency
(else a user on the declared toolchain cannot build), and equal to it unless the workspace's
own code needs more (then say so in Cargo.toml next to the number). Clippy's
`incompatible_msrv` lint checks the workspace's own code against the same number.
"""
import json
import re
import subprocess
import sys


def version(text):
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3]) + (0,) * (3 - len(re.findall(r"\d+", text)[:3]))


meta = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
members = set(meta["workspace_members"])
declared = {p["rust_version"] for p in meta["packages"] if p["id"] in members}
if len(declared) != 1 or None in declared:
    sys.exit(f"msrv: every workspace package must inherit one rust-version, found {sorted(map(str, declared))}")
declared = declared.pop()
needs = [(version(p["rust_version"]), p["name"], p["version"], p["rust_version"])
         for p in meta["packages"] if p["id"] not in members and p.get("rust_version")]
needs.sort()
top = needs[-1]
print(f"msrv: declared {declared}; highest locked dependency need: {top[3]} ({top[1]} {top[2]})")
if version(declared) < top[0]:
    sys.exit(f"msrv: rust-version {declared} is below what {top[1]} {top[2]} needs ({top[3]})")
if version(declared) > top[0]:
    sys.exit(f"msrv: rust-version {declared} is above every dependency's need ({top[3]}); lower it or say why")
