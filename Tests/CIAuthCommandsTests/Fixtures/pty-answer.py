#!/usr/bin/env python3
"""Runs a command on a fresh pseudo-terminal (its controlling terminal) and, when argv[1] appears
on the terminal, types the first line of this script's stdin followed by Enter (`^C` is typed as
Ctrl-C alone; a secret never comes from arguments or the environment). Prints everything the
terminal showed and exits with the command's exit status. Test scaffolding for ciauth's
end-to-end tests only."""
import os
import pty
import select
import signal
import sys
import time

prompt = sys.argv[1]
command = sys.argv[2:]
answer = sys.stdin.readline().rstrip("\n")

pid, fd = pty.fork()
if pid == 0:
    os.execv(command[0], command)

output = b""
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
    if not answered and prompt in output.decode(errors="replace"):
        # A no-echo prompt is written before echo is turned off (with a flush of pending input): wait.
        time.sleep(0.3)
        os.write(fd, b"\x03" if answer == "^C" else (answer + "\n").encode())
        answered = True
else:
    os.kill(pid, signal.SIGKILL)

_, status = os.waitpid(pid, 0)
sys.stdout.write(output.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
