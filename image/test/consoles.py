"""Host ends of the guest's virtio consoles: a root shell (test image only) and the maintenance console."""
import re
import socket
import time


class SocketConsole:
    def __init__(self, path, connect_deadline_s=30):
        end = time.monotonic() + connect_deadline_s
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > end:
                    raise
                time.sleep(0.2)
        self.buf = b""

    def send(self, text):
        self.sock.sendall(text.encode())

    def read_until(self, pattern, deadline_s):
        """Reads until the regex matches the received text; returns the match. Raises TimeoutError with the tail seen."""
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern, re.S)
        end = time.monotonic() + deadline_s
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = end - time.monotonic()
            if left <= 0:
                tail = self.buf[-300:].decode("utf-8", "replace")
                raise TimeoutError(f"no {pattern!r} within {deadline_s:.0f} s; last output: {tail!r}")
            self.sock.settimeout(min(left, 1.0))
            try:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("console closed")
                self.buf += chunk
            except socket.timeout:
                pass

    def close(self):
        self.sock.close()


class RootShell(SocketConsole):
    """agetty --autologin root on hvc1. Each command's output is framed by a marker the typed line cannot
    contain (the marker is assembled by the shell), so a command's echo is never mistaken for its end."""

    def login(self, deadline_s):
        end = time.monotonic() + deadline_s
        while True:
            self.send("\n")
            try:
                self.read_until(r"[#$] ", 3)
                break
            except TimeoutError:
                if time.monotonic() > end:
                    raise
        self.send("stty -echo; export PS1='' SYSTEMD_PAGER=cat SYSTEMD_COLORS=0 TERM=dumb\n")
        self.run("true", 10)

    def run(self, command, deadline_s=30):
        """Runs command, returns (exit code, output)."""
        self.send(f"{command}; echo \"@@E\"\"ND $?@@\"\n")
        m = self.read_until(r"(.*?)@@END (\d+)@@", deadline_s)
        out = m.group(1).decode("utf-8", "replace").replace("\r", "").strip("\n")
        return int(m.group(2)), out

    def ok(self, command, deadline_s=30):
        rc, out = self.run(command, deadline_s)
        if rc != 0:
            raise RuntimeError(f"`{command}` exited {rc}: {out[-300:]}")
        return out
