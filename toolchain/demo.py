#!/usr/bin/env python3
"""make demo: the published appliance with the go2rtc stand-in and two simulated cameras, all on 127.0.0.1.

The cameras are TCP listeners that accept and close: enough for the stand-in, which dials a camera's
host:port before it serves a test-pattern frame or WebRTC picture. The appliance recognises the stand-in
from its --version output and says "demo: go2rtc stand-in" on its status page.

Usage: toolchain/demo.py PUBLISH_DIR STANDIN DEMO_DIR PORT
Stops on Ctrl+C or SIGTERM: the appliance is sent SIGTERM (it stops the stand-in) and waited for.
"""
import os
import random
import signal
import socket
import subprocess
import sys
import threading

PASSWORD = "lightnvr-demo"
CAMERAS = ("front_door", "backyard")


def free_port():
    """A port free for TCP and UDP, below the ephemeral range (a released bind(0) port can be taken at once)."""
    while True:
        port = random.randint(20000, 32000)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                tcp.bind(("127.0.0.1", port))
                udp.bind(("0.0.0.0", port))
            return port
        except OSError:
            continue


def camera():
    """A listening socket that accepts and closes every connection, for the life of this script."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                connection, _ = listener.accept()
                connection.close()
            except OSError:
                return

    threading.Thread(target=serve, daemon=True).start()
    return listener, listener.getsockname()[1]


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.chmod(path + ".tmp", 0o600)
    os.replace(path + ".tmp", path)


def main():
    publish, standin, demo, port = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3]), int(sys.argv[4])
    binary = os.path.abspath(os.path.join(publish, "lightnvr"))
    for path in (binary, standin):
        if not os.access(path, os.X_OK):
            sys.exit(f"demo: {path} is missing; make demo builds it (make publish-x64 standin)")
    state, go2rtc_dir = os.path.join(demo, "state"), os.path.join(demo, "go2rtc")
    for d in (state, go2rtc_dir):
        os.makedirs(d, mode=0o700, exist_ok=True)

    listeners = [camera() for _ in CAMERAS]
    config = os.path.join(demo, "lightnvr.yaml")
    write(config, "# Written by make demo at every start.\n"
          f"web:\n  listen: 127.0.0.1\n  port: {port}\n"
          f"go2rtc:\n  binary: {standin}\n  config_dir: {go2rtc_dir}\n"
          f"  api_port: {free_port()}\n  rtsp_port: {free_port()}\n  webrtc_port: {free_port()}\n"
          # Loopback candidates too, so a browser on this machine connects whichever address it offers.
          "  webrtc:\n    filters:\n      loopback: true\n"
          f"state_dir: {state}\n"
          f"auth:\n  password_file: {os.path.join(demo, 'lightnvr-password.txt')}\n")
    write(os.path.join(demo, "streams.yaml"), "# Written by make demo at every start: two simulated cameras.\ncameras:\n" + "".join(
        f"  - name: {name}\n    url: rtsp://127.0.0.1:{listener_port}/stream1\n" for name, (_, listener_port) in zip(CAMERAS, listeners)))

    if not os.path.exists(os.path.join(state, "admin-password")):
        subprocess.run([binary, "passwd", "--config", config], input=PASSWORD + "\n", text=True, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"demo: admin password set to {PASSWORD}")
    print(f"demo: open http://127.0.0.1:{port}/ and sign in as admin / {PASSWORD} (unless you changed it); Ctrl+C stops the demo")
    print(f"demo: go2rtc stand-in {standin}, cameras {', '.join(CAMERAS)} on 127.0.0.1, state in {demo}", flush=True)

    appliance = subprocess.Popen([binary, "--config", config])

    def stop(signum, _frame):
        if appliance.poll() is None:
            appliance.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = appliance.wait()
    for listener, _ in listeners:
        listener.close()
    sys.exit(0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code)


if __name__ == "__main__":
    main()
