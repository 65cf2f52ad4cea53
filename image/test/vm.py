"""The test image under qemu-system-aarch64 (TCG): start, consoles, monitor, kill."""
import os
import re
import signal
import socket
import subprocess
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, deadline_s, probe, interval=0.25):
    """Polls probe() until it returns a truthy value or the deadline passes (then raises, naming what)."""
    end = time.monotonic() + deadline_s
    last = None
    while time.monotonic() < end:
        try:
            value = probe()
            if value:
                return value
        except Exception as e:  # a probe that throws is "not yet"; its last error is reported
            last = e
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {deadline_s:.0f} s" + (f" (last error: {last})" if last else ""))


class ConsoleLog:
    """The guest's kernel console (ttyAMA0) file, read as it grows; each line gets the host time it was seen."""

    def __init__(self, path):
        self.path, self.lines, self._stop = path, [], False
        self._thread = threading.Thread(target=self._follow, daemon=True)
        self._thread.start()

    def _follow(self):
        while not os.path.exists(self.path) and not self._stop:
            time.sleep(0.05)
        with open(self.path, "rb") as f:
            pending = b""
            while not self._stop:
                chunk = f.read()
                if not chunk:
                    time.sleep(0.05)
                    continue
                pending += chunk
                *done, pending = pending.split(b"\n")
                now = time.monotonic()
                self.lines += [(now, d.decode("utf-8", "replace").rstrip("\r")) for d in done]

    def first(self, pattern, after=0.0):
        rx = re.compile(pattern)
        return next((t for t, line in list(self.lines) if t >= after and rx.search(line)), None)

    def stop(self):
        self._stop = True


class Vm:
    """One boot of a disk image. Ports: host loopback → guest 8080 (the appliance) and → guest 1984 (a
    probe: go2rtc's API must not be reachable through it). hvc0 = the appliance's maintenance console,
    hvc1 = a root shell (test image only); the kernel console goes to a file."""

    def __init__(self, workdir, disk, kernel, initrd, snapshot=False):
        self.dir, self.disk, self.kernel, self.initrd, self.snapshot = workdir, disk, kernel, initrd, snapshot
        self.http_port, self.api_probe_port = free_port(), free_port()
        self.proc, self.started, self.console = None, None, None

    def path(self, name):
        return os.path.join(self.dir, name)

    def start(self, tag):
        for name in ("maint.sock", "shell.sock", "mon.sock", f"console-{tag}.log"):
            if os.path.exists(self.path(name)):
                os.unlink(self.path(name))
        fwd = f"hostfwd=tcp:127.0.0.1:{self.http_port}-:8080,hostfwd=tcp:127.0.0.1:{self.api_probe_port}-:1984"
        cmd = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-smp", "2", "-m", "1024",
               "-display", "none", "-no-reboot",
               "-kernel", self.kernel, "-initrd", self.initrd,
               "-append", "root=LABEL=rootfs rw rootwait console=ttyAMA0 net.ifnames=0",
               "-drive", f"if=none,id=hd0,file={self.disk},format=raw",
               "-device", "virtio-blk-pci,drive=hd0",
               "-netdev", f"user,id=n0,{fwd}", "-device", "virtio-net-pci,netdev=n0,romfile=",
               "-serial", f"file:{self.path(f'console-{tag}.log')}",
               "-device", "virtio-serial-pci",
               "-chardev", f"socket,id=maint,path={self.path('maint.sock')},server=on,wait=off",
               "-device", "virtconsole,chardev=maint,name=maint,nr=0",
               "-chardev", f"socket,id=shell,path={self.path('shell.sock')},server=on,wait=off",
               "-device", "virtconsole,chardev=shell,name=shell,nr=1",
               "-monitor", f"unix:{self.path('mon.sock')},server=on,wait=off"]
        if self.snapshot:
            cmd.append("-snapshot")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=open(self.path(f"qemu-{tag}.log"), "wb"), stderr=subprocess.STDOUT)
        self.console = ConsoleLog(self.path(f"console-{tag}.log"))
        wait_for("qemu's monitor socket", 30, lambda: self.proc.poll() is None and os.path.exists(self.path("mon.sock")))

    def monitor(self, command):
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.path("mon.sock"))
            s.settimeout(5)
            s.recv(4096)  # the banner and prompt
            s.sendall(command.encode() + b"\n")
            time.sleep(0.2)

    def power_cut(self):
        """Pulls the plug: SIGKILL, no flush of the guest's caches."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self.console.stop()

    def wait_exit(self, deadline_s):
        try:
            self.proc.wait(deadline_s)
            return True
        except subprocess.TimeoutExpired:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
        if self.console:
            self.console.stop()
