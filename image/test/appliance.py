"""The appliance's HTTP API as the host reaches it through qemu's port forward."""
import base64
import http.client
import io
import json
import zipfile


class Appliance:
    def __init__(self, port, password):
        self.port = port
        self.auth = "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()

    def request(self, method, path, body=None, auth=True, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            headers = {"Authorization": self.auth} if auth else {}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def json(self, path, timeout=60):
        status, body = self.request("GET", path, timeout=timeout)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}: {body[:200]!r}")
        return json.loads(body)

    def healthz(self):
        status, _ = self.request("GET", "/healthz", auth=False, timeout=3)
        return status == 200

    def go2rtc(self):
        return self.json("/api/status")["go2rtc"]["status"]

    def diagnostics(self):
        status, body = self.request("GET", "/api/diagnostics", timeout=30)
        if status != 200:
            raise RuntimeError(f"GET /api/diagnostics: HTTP {status}")
        z = zipfile.ZipFile(io.BytesIO(body))
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}
