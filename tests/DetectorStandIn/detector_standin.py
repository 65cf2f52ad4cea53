#!/usr/bin/env python3
"""Test-only stand-in for light-object-detect (the HTTP detector LightNVR uses). Python 3 stdlib only.

POST /<any path>?backend=onnx&confidence_threshold=T&return_image=false, multipart/form-data, JPEG in
field "file" -> {"detections":[...]}. Each path is counted on its own (tests give every camera its own
path), with requests, in flight now, and the most in flight at once.

Run:   python3 detector_standin.py [--port N] [--mode MODE] [--delay-ms N]
       prints "listening on PORT" once ready.
Modes: nested (default), flat, pixels (nested, pixel coordinates of a 320x240 frame), normalized (= nested),
       500, hang (never answers; ends when the client gives up), malformed (not JSON), slow (nested after delay_ms),
       empty (no detections).
Control (per run, any time):
       POST /control?mode=MODE[&delay_ms=N][&path=/x]   mode for every path, or for one path
       GET  /stats   {"paths":{path:{"requests","in_flight","max_in_flight","last_query","last_file_bytes",
                      "last_file_type","last_file_is_jpeg"}},"webhooks":n}
"""
import argparse
import json
import select
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# What the detector "sees": a person, a car, a dog with a low score (threshold filtering has work to do).
OBJECTS = [
    ("person", 0.91, (0.1, 0.2, 0.5, 0.9)),
    ("car", 0.62, (0.55, 0.5, 0.95, 0.8)),
    ("dog", 0.30, (0.0, 0.6, 0.2, 0.95)),
]
WIDTH, HEIGHT = 320, 240

lock = threading.Lock()
state = {"mode": "nested", "delay_ms": 10000, "by_path": {}}
stats = {}


def path_stats(path):
    return stats.setdefault(path, {"requests": 0, "in_flight": 0, "max_in_flight": 0, "last_query": None,
                                   "last_file_bytes": 0, "last_file_type": None, "last_file_is_jpeg": False})


def multipart_file(content_type, body):
    """The part named "file": (bytes, its content type), or (None, None)."""
    marker = "boundary="
    if marker not in content_type:
        return None, None
    boundary = content_type.split(marker, 1)[1].split(";")[0].strip().strip('"').encode()
    for part in body.split(b"--" + boundary):
        head, sep, data = part.partition(b"\r\n\r\n")
        if not sep:
            continue
        headers = head.decode("latin-1").lower()
        if 'name="file"' in headers or "name=file" in headers:
            ctype = None
            for line in headers.split("\r\n"):
                if line.startswith("content-type:"):
                    ctype = line.split(":", 1)[1].strip()
            return data[:-2] if data.endswith(b"\r\n") else data, ctype
    return None, None


def detections(mode, threshold):
    out = []
    for label, conf, (x0, y0, x1, y1) in OBJECTS:
        if conf < threshold:
            continue
        if mode == "pixels":
            x0, x1, y0, y1 = x0 * WIDTH, x1 * WIDTH, y0 * HEIGHT, y1 * HEIGHT
        box = {"x_min": x0, "y_min": y0, "x_max": x1, "y_max": y1}
        if mode == "flat":
            out.append({"label": label, "confidence": conf, **box})
        else:
            out.append({"label": label, "confidence": conf, "bounding_box": box})
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if urlsplit(self.path).path == "/stats":
            with lock:
                self.reply(200, json.dumps({"paths": stats, "webhooks": 0}))
        else:
            self.reply(404, '{"detail":"Not Found"}')

    def client_gone(self):
        r, _, _ = select.select([self.connection], [], [], 0)
        if not r:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def do_POST(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path == "/control":
            with lock:
                mode = query.get("mode", [state["mode"]])[0]
                if "path" in query:
                    state["by_path"][query["path"][0]] = mode
                else:
                    state["mode"] = mode
                    state["by_path"].clear()
                if "delay_ms" in query:
                    state["delay_ms"] = int(query["delay_ms"][0])
            self.reply(200, json.dumps({"mode": mode}))
            return
        with lock:
            s = path_stats(url.path)
            s["requests"] += 1
            s["in_flight"] += 1
            s["max_in_flight"] = max(s["max_in_flight"], s["in_flight"])
            s["last_query"] = url.query
            data, ctype = multipart_file(self.headers.get("Content-Type", ""), body)
            s["last_file_bytes"] = len(data or b"")
            s["last_file_type"] = ctype
            s["last_file_is_jpeg"] = bool(data) and data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9"
            mode = state["by_path"].get(url.path, state["mode"])
            delay = state["delay_ms"] / 1000.0
        try:
            if data is None:
                self.reply(422, '{"detail":"field file is required"}')
                return
            if mode == "hang":
                while not self.client_gone():
                    time.sleep(0.02)
                self.close_connection = True
                return
            if mode == "slow":
                time.sleep(delay)
            if mode == "500":
                self.reply(500, '{"detail":"Internal Server Error"}')
            elif mode == "malformed":
                self.reply(200, '{"detections": [ {"label": "person", ')
            else:
                threshold = float(query.get("confidence_threshold", ["0.5"])[0])
                found = [] if mode == "empty" else detections(mode, threshold)
                self.reply(200, json.dumps({"detections": found, "count": len(found)}))
        finally:
            with lock:
                s["in_flight"] -= 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="nested")
    parser.add_argument("--delay-ms", type=int, default=10000)
    args = parser.parse_args()
    state["mode"], state["delay_ms"] = args.mode, args.delay_ms
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
