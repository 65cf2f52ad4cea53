import subprocess, time, socket, sys, os
exe = sys.argv[1]
res = []
for run in range(6):
    t0 = time.perf_counter()
    p = subprocess.Popen([exe, "-c", "{api: {listen: '127.0.0.1:19841'}, rtsp: {listen: '127.0.0.1:18541'}, webrtc: {listen: '127.0.0.1:18551'}}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", 19841), timeout=1)
            s.sendall(b"GET /api HTTP/1.1\r\nHost: x\r\n\r\n")
            d = s.recv(100); s.close()
            if d.startswith(b"HTTP/1.1 200"): break
        except OSError: pass
        time.sleep(0.002)
    res.append((time.perf_counter()-t0)*1000)
    p.terminate(); p.wait()
print(" ".join(f"{x:.1f}" for x in res), "ms")
