// The go2rtc stand-in's camera side: a real WebRTC peer (libwebrtc through @roamhq/wrtc) that
// answers SDP offers with a VP8 test pattern. One long-lived process per stand-in; the stand-in
// writes one JSON line per offer on stdin ({"id":1,"sdp":"v=0..."}) and reads one JSON line per
// answer on stdout ({"id":1,"sdp":"..."} or {"id":1,"error":"..."}). Non-trickle, like go2rtc:
// the answer carries every gathered candidate. When stdin closes (the stand-in died or re-exec'd)
// every peer is closed and the process exits.
'use strict';
const readline = require('readline');
const { RTCPeerConnection, nonstandard } = require('@roamhq/wrtc');

const WIDTH = 320, HEIGHT = 240, FPS = 15;
const GATHER_LIMIT_MS = 3000;
const source = new nonstandard.RTCVideoSource();
const track = source.createTrack();
const peers = new Set();
let frameNo = 0;

// I420 frame: grey background, a bright block sweeping left to right, a band whose shade follows
// the frame number (so consecutive frames always differ and the decoder has work to show).
const frame = new Uint8ClampedArray(WIDTH * HEIGHT * 1.5);
function draw() {
  const y = frame.subarray(0, WIDTH * HEIGHT);
  y.fill(90);
  const x0 = (frameNo * 8) % WIDTH;
  for (let row = 60; row < 180; row++)
    for (let col = x0; col < Math.min(x0 + 60, WIDTH); col++) y[row * WIDTH + col] = 235;
  for (let row = 200; row < 230; row++) y.fill((frameNo * 5) % 256, row * WIDTH, row * WIDTH + WIDTH);
  frame.fill(128, WIDTH * HEIGHT); // neutral chroma
  frameNo++;
}

// Frames only while someone watches: an idle stand-in costs no CPU.
setInterval(() => {
  if (peers.size === 0) return;
  draw();
  source.onFrame({ width: WIDTH, height: HEIGHT, data: frame });
}, 1000 / FPS);

function send(obj) { process.stdout.write(JSON.stringify(obj) + '\n'); }

function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise(resolve => {
    const timer = setTimeout(resolve, GATHER_LIMIT_MS);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
    });
  });
}

async function answer(offer) {
  const pc = new RTCPeerConnection({ iceServers: [] });
  peers.add(pc);
  const drop = () => { if (peers.delete(pc)) try { pc.close(); } catch (_) { /* already closed */ } };
  pc.addEventListener('connectionstatechange', () => {
    if (['failed', 'closed', 'disconnected'].includes(pc.connectionState)) drop();
  });
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    let video = false;
    for (const t of pc.getTransceivers()) {
      const kind = t.receiver.track && t.receiver.track.kind;
      if (kind === 'video' && !video) {
        await t.sender.replaceTrack(track);
        t.direction = 'sendonly';
        video = true;
      } else {
        t.direction = 'inactive'; // the test camera has no audio
      }
    }
    if (!video) throw new Error('codecs not matched: the offer has no video');
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    // A peer nobody connected to within 30 s is forgotten (go2rtc drops such consumers too).
    setTimeout(() => { if (pc.connectionState !== 'connected') drop(); }, 30000);
    return pc.localDescription.sdp;
  } catch (e) {
    drop();
    throw e;
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', line => {
  let msg;
  try { msg = JSON.parse(line); } catch (_) { return; }
  answer(msg.sdp).then(
    sdp => send({ id: msg.id, sdp }),
    e => send({ id: msg.id, error: String(e && e.message || e) }));
});
lines.on('close', () => {
  for (const pc of peers) try { pc.close(); } catch (_) { /* closing anyway */ }
  process.exit(0);
});
send({ ready: true });
