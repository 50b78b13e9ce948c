#!/usr/bin/env python3
"""Runs a command on a fresh pseudo-terminal (its controlling terminal), the way a person would:
answers "Approve? [y/N]" with argv[1] and each PIN prompt with the PIN read from this script's
stdin (never from arguments or the environment). Prints everything the terminal showed and exits
with the command's exit status. Test scaffolding for ciauth's end-to-end tests only."""
import os
import pty
import select
import signal
import sys
import time

answer = sys.argv[1]
command = sys.argv[2:]
pin = sys.stdin.readline().strip()

pid, fd = pty.fork()
if pid == 0:
    os.execv(command[0], command)

output = b""
pins_sent = 0
answered = False
deadline = time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if not ready:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    output += data
    text = output.decode(errors="replace")
    if not answered and "Approve? [y/N]" in text:
        os.write(fd, (answer + "\n").encode())
        answered = True
    if text.count("Enter the PIN") > pins_sent:
        # The prompt is written before echo is turned off (with a flush of pending input): wait.
        time.sleep(0.3)
        os.write(fd, (pin + "\n").encode())
        pins_sent += 1
else:
    os.kill(pid, signal.SIGKILL)

_, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
