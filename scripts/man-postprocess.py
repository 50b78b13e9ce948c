#!/usr/bin/env python3
"""Post-processes the manual generate-manual writes (stdin → stdout), so the man page says what
--help says:
- hidden commands (development aids) are left out;
- each option's default (and allowed values) is shown as --help shows it;
- the negative form of a --flag/--no-flag pair gets its own description.
Usage: man-postprocess.py PATH_TO_CIAUTH < generated.1 > ciauth.1"""
import re
import subprocess
import sys

ciauth = sys.argv[1]
HIDDEN = {"check-approval"}
NEGATIVE = {
    "no-require-uv": "Do not require PIN or biometric verification, even when the policy file asks for it (require_uv: true).",
    "no-approver-must-be-player": "Let someone other than the approver play the job (a bot playing a --sign-only approval), even when the policy file requires the approver to play it.",
    "no-allow-self-approval": "Refuse an approval by the pipeline's creator (self-approval), even when the policy file allows it.",
}


def defaults(path):
    """Option name → the "(values: …; default: …)" text of `ciauth PATH --help`."""
    text = subprocess.run([ciauth, *path, "--help"], capture_output=True, text=True, check=True).stdout
    blocks, current = {}, None
    for line in text.splitlines():
        match = re.match(r"^  (?:-\w, )?--([\w-]+)", line)
        if match:
            current = match.group(1)
            blocks[current] = line
        elif current and line.startswith("      "):
            blocks[current] += " " + line.strip()
        else:
            current = None
    found = {}
    for name, block in blocks.items():
        match = re.search(r"(\((?:values: [^;()]*; )?default: [^()]*\))\s*$", block)
        if match:
            found[name] = match.group(1)
    return found


lines = sys.stdin.read().split("\n")
out, stack, depth, skip_until, pending = [], [], 0, None, None
cache = {}
i = 0
while i < len(lines):
    line = lines[i]
    if skip_until is not None:
        if line.startswith(".Bl"):
            depth += 1
        elif line == ".El":
            depth -= 1
            if depth == skip_until:
                skip_until = None
        i += 1
        continue
    item = re.match(r"^\.It Em (\S+)$", line)
    if item:
        # Close commands whose list has ended (stack entries carry their list depth).
        while stack and stack[-1][1] >= depth:
            stack.pop()
        if item.group(1) in HIDDEN:
            skip_until = depth
            # Skip the item line, its description, and its option list.
            i += 1
            while i < len(lines) and not lines[i].startswith(".Bl"):
                i += 1
            depth += 1
            i += 1
            continue
        stack.append((item.group(1), depth))
        out.append(line)
        i += 1
        continue
    if line.startswith(".Bl"):
        depth += 1
    elif line == ".El":
        depth -= 1
        while stack and stack[-1][1] >= depth:
            stack.pop()
    option = re.match(r"^\.It Fl (?:\w , )?-([\w-]+)", line)
    out.append(line)
    if option and stack and i + 1 < len(lines) and not lines[i + 1].startswith("."):
        path = tuple(name for name, _ in stack)
        if path not in cache:
            try:
                cache[path] = defaults(path)
            except subprocess.CalledProcessError:
                cache[path] = {}
        name = option.group(1)
        description = NEGATIVE.get(name, lines[i + 1])
        extra = cache[path].get(name)
        if extra and extra not in description:
            description += " " + extra
        out.append(description)
        i += 2
        continue
    i += 1
sys.stdout.write("\n".join(out))
