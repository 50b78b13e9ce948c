#!/usr/bin/env python3
"""Runs a command on a fresh pseudo-terminal and, when argv[1] appears on it, types Ctrl-C once
(and nothing else). Prints everything the terminal showed and exits with the command's exit
status, or 124 if it is still running 10 s after the Ctrl-C (it is then killed). Test
scaffolding for ciauth's end-to-end tests only."""
import os
import pty
import select
import signal
import sys
import time

prompt = sys.argv[1]
command = sys.argv[2:]

pid, fd = pty.fork()
if pid == 0:
    os.execv(command[0], command)

output = b""
interrupted_at = None
deadline = time.time() + 60
status = None
while time.time() < deadline:
    if interrupted_at is not None and time.time() - interrupted_at > 10:
        break
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        output += data
        if not data:
            break
    if interrupted_at is None and prompt in output.decode(errors="replace"):
        os.write(fd, b"\x03")
        interrupted_at = time.time()

# The terminal closes a moment before the exit status can be collected: give it that moment.
grace = time.time() + 2
finished, status = os.waitpid(pid, os.WNOHANG)
while finished == 0 and time.time() < grace:
    time.sleep(0.05)
    finished, status = os.waitpid(pid, os.WNOHANG)
if finished == 0:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    code = 124
else:
    code = os.waitstatus_to_exitcode(status)
sys.stdout.write(output.decode(errors="replace"))
sys.exit(code)
