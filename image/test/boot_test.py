#!/usr/bin/env python3
"""make image-test: static checks of the release and test images, then the test image booted under
qemu-system-aarch64 (TCG) with every check on a deadline. Ends with "N passed, N failed, N skipped".

Usage: image/test/boot_test.py OUT_DIR VERSION
The test image is booted from a copy (the built image stays pristine): the FAT settings are edited on
the copy with mtools, the copy is grown by 1 GiB (first boot grows the root), and the same copy is
booted again after the power cut, which is why the first boot does not use -snapshot."""
import os
import secrets
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import board_checks as bd  # noqa: E402
import boot_checks as bc  # noqa: E402
import static_checks as sc  # noqa: E402
from appliance import Appliance  # noqa: E402
from checks import Results  # noqa: E402
from consoles import RootShell, SocketConsole  # noqa: E402
from vm import Vm, wait_for  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GROW = 1 << 30
MTOOLS = {**os.environ, "MTOOLS_SKIP_CHECK": "1"}


def mtools(*args, capture=False):
    return subprocess.run(args, check=True, env=MTOOLS, capture_output=capture).stdout


def prepare_disk(test, work, password):
    disk = os.path.join(work, "disk.img")
    subprocess.run(["cp", "--sparse=always", test.raw, disk], check=True)
    fat = disk + "@@4M"
    yaml = mtools("mtype", "-i", fat, "::lightnvr.yaml", capture=True).decode()
    edited = yaml.replace("    candidates: []", f'    candidates: ["{bc.TEST_CANDIDATE}"]', 1)
    assert edited != yaml, "the boot lightnvr.yaml has no `candidates: []` line to edit"
    for name, text in (("lightnvr.yaml", edited), ("lightnvr-password.txt", password + "\n")):
        local = os.path.join(work, name)
        with open(local, "w") as f:
            f.write(text)
        mtools("mcopy", "-o", "-i", fat, local, "::" + name)
    kver = test.info["kernel"]
    for src, dst in ((f"vmlinuz-{kver}", "vmlinuz"), (f"initrd.img-{kver}", "initrd.img")):
        mtools("mcopy", "-n", "-o", "-i", fat, "::" + src, os.path.join(work, dst))
    with open(disk, "r+b") as f:
        f.truncate(os.path.getsize(disk) + GROW)
    return disk


def main():
    out, version = sys.argv[1], sys.argv[2]
    r = Results()
    release = sc.Image(out, f"lightnvr-{version}-arm64")
    test = sc.Image(out, f"lightnvr-{version}-arm64-test")
    work = os.path.join(REPO, "build/image/boot-test")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    publish = os.path.join(REPO, "build/publish/linux-arm64")
    binaries = [os.path.join(publish, f) for f in os.listdir(publish) if not f.endswith((".dbg", ".pdb"))]

    r.check("release image carries no test file and no stand-in", lambda: sc.release_has_no_test_files(release, REPO))
    r.check("test image carries the stand-in, modules and sim units", lambda: sc.test_image_has_test_files(test, REPO))
    r.check("every library the appliance loads is in the image", lambda: sc.libraries_present(release, binaries))
    r.check("test image: every library the stand-in loads is in it", lambda: sc.libraries_present(
        test, [os.path.join(REPO, "build/standin-arm64/go2rtc-standin")]))
    r.check("same package list → same file list (image/release.manifest)",
            lambda: sc.same_files_for_same_packages(release, os.path.join(REPO, "image/release.manifest")))
    r.check("Raspberry Pi 3/4 boot files on the FAT partition", lambda: sc.raspberry_pi_boot_files(release))
    r.check("release LED name is a label in the Pi 3 B+ and Pi 4 device trees", lambda: sc.led_name_in_device_tree(release, REPO))
    r.check("release boot lightnvr.yaml passes check-config", lambda: sc.boot_config_valid(release, REPO, work))
    r.check("test boot lightnvr.yaml passes check-config", lambda: sc.boot_config_valid(test, REPO, work))
    r.check("image scripts are shellcheck-clean", lambda: sc.scripts_shellcheck_clean(REPO))

    password = "imgtest-" + secrets.token_hex(8)
    disk = prepare_disk(test, work, password)
    vm = Vm(work, disk, os.path.join(work, "vmlinuz"), os.path.join(work, "initrd.img"))
    app = Appliance(vm.http_port, password)
    boot_names = ["status page answers", "password from the FAT applied", "config edited on the FAT is read"]
    try:
        vm.start("boot1")
        try:
            wait_for("the status page", 300, app.healthz, interval=0.5)
        except TimeoutError as e:
            r.fail_rest(boot_names, f"{e}; console tail: {[l for _, l in vm.console.lines[-5:]]}")
            raise SystemExit(0 if r.summary() else 1)
        http_s = time.monotonic() - vm.started
        print(f"image: boot → HTTP {http_s:.1f} s", flush=True)
        r.check("status page answers", lambda: f"boot → HTTP {http_s:.1f} s; "
                + str(app.request("GET", "/", auth=False)[0]) + " without a session")
        shell = RootShell(vm.path("shell.sock"))
        shell.login(120)
        r.check("password from the FAT applied", lambda: bc.password_from_fat(app, shell))
        r.check("config edited on the FAT is read", lambda: bc.config_from_fat(app))
        maint = SocketConsole(vm.path("maint.sock"))
        r.check("go2rtc runs under the appliance", lambda: bc.go2rtc_under_appliance(app, shell))
        r.check("status page says the stand-in runs", lambda: bc.status_page_names_stand_in(app))
        r.check("go2rtc API on loopback only, LAN sees 8080/8555 only", lambda: bc.api_loopback_only(vm, shell))
        r.check("unit active, Type=notify, STATUS= from the appliance", lambda: bc.unit_active_with_status(shell))
        r.check("unit runs as lightnvr, writes go2rtc's config and owns the FAT files",
                lambda: bc.runs_as_lightnvr_and_writes(app, shell))
        r.check("watchdog armed and fed", lambda: bc.watchdog_armed(shell))
        r.check("root partition grown to the disk on first boot", lambda: bc.root_grown(shell, GROW))
        r.check("hostname lightnvr, avahi up, root locked, no ssh", lambda: bc.avahi_and_login(shell))
        r.check("ffmpeg (for go2rtc's frame.jpeg) encodes a JPEG on the box", lambda: bc.ffmpeg_makes_a_jpeg(shell))
        r.check("LED solid and steady while all is good", lambda: bd.led_steady(app, shell, test.info))
        r.check("short press restarts go2rtc", lambda: bd.short_press_restarts_go2rtc(app, shell, test.info))
        r.check("maintenance console answers status", lambda: bd.maintenance_console_status(maint, test.info))
        r.check("LED brightness follows the fast-blink pattern", lambda: bd.led_blinks_fault_pattern(app, shell, test.info))
        shell.close()
        maint.close()
        cut = {}
        r.check("power cut during a burst of config writes", lambda: cut.update(
            zip(("attempted", "accepted"), bc.power_cut_during_writes(vm, app))) or f"{len(cut['accepted'])} writes accepted before the cut")
        vm.stop()
        try:  # the FAT as the power cut left it, before the next boot's fsck repairs anything
            streams = mtools("mtype", "-i", disk + "@@4M", "::streams.yaml", capture=True).decode(errors="replace")
        except subprocess.CalledProcessError as e:
            streams = f"(mtype cannot read streams.yaml: {e.stderr.decode(errors='replace').strip()})"
        vm.start("boot2")
        wait_for("the status page after the power cut", 300, app.healthz, interval=0.5)
        print(f"image: reboot → HTTP {time.monotonic() - vm.started:.1f} s", flush=True)
        r.check("config after the power cut is old or new, never broken",
                lambda: bc.config_intact_after_power_cut(app, cut.get("attempted", set()), streams))
        shell = RootShell(vm.path("shell.sock"))
        shell.login(120)
        bc.go2rtc_ready(app)
        maint = SocketConsole(vm.path("maint.sock"))
        r.check("factory reset by a long press: backup, defaults, unit back",
                lambda: bd.factory_reset_by_long_press(app, shell, test.info, bc.TEST_CANDIDATE))
        r.check("LED heartbeat on a box without a password", lambda: bd.led_heartbeat_without_password(shell, maint, test.info))
        maint.close()
        r.check("clean shutdown stops go2rtc and the appliance within 10 s", lambda: bc.clean_shutdown(vm, shell))
    finally:
        vm.stop()
    return 0 if r.summary() else 1


if __name__ == "__main__":
    sys.exit(main())
