#!/usr/bin/env python3
"""Keeps a virtual key busy, as another program waiting for a touch does: connects to the key's
Unix socket (argv[1]), allocates a CTAPHID channel, sends authenticatorSelection (CTAP 2.1, waits
for a touch), prints "waiting" and holds the connection until killed. Test scaffolding only."""
import os
import socket
import struct
import sys
import time

sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.connect(sys.argv[1])


def report(cid, command, payload):
    frame = struct.pack(">IBH", cid, command, len(payload)) + payload
    return frame + b"\0" * (64 - len(frame))


def receive():
    data = b""
    while len(data) < 64:
        chunk = sock.recv(64 - len(data))
        if not chunk:
            sys.exit("key closed the connection")
        data += chunk
    return data


nonce = os.urandom(8)
sock.sendall(report(0xFFFFFFFF, 0x86, nonce))
while True:
    answer = receive()
    if answer[4] == 0x86 and answer[7:15] == nonce:
        break
channel = struct.unpack(">I", answer[15:19])[0]
sock.sendall(report(channel, 0x90, bytes([0x0B])))
# The key answers KEEPALIVE (user presence needed) while it waits for the touch.
while True:
    answer = receive()
    if answer[4] == 0xBB:
        break
print("waiting", flush=True)
while True:
    time.sleep(1)
