"""Checks of the built images that need no boot: file lists, libraries, Raspberry Pi boot files."""
import fnmatch
import os
import re
import subprocess

from checks import Skip, expect

# Loaded with dlopen, so not in any ELF's NEEDED list: the .NET runtime's crypto (password hash,
# session HMAC) and, when the appliance uses System.Device.Gpio, libgpiod.
DLOPENED = {"libssl.so.3": b"libssl", "libcrypto.so.3": b"libssl", "libgpiod.so.2": b"libgpiod"}


def parse_manifest(path):
    """(packages, {root path: (mode, owner)}, [boot paths]) from a manifest written by assemble.sh."""
    packages, root, boot, section = [], {}, [], None
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("# "):
            section = line.rsplit(": ", 1)[1]
        elif section == "packages":
            packages.append(line)
        elif section == "files of the root partition":
            mode, owner, p = line.split(" ", 2)
            root[p] = (mode, owner)
        elif section == "files of the boot partition":
            boot.append(line.split(" ", 1)[1])
    return packages, root, boot


class Image:
    """One built image: its manifest (packages, root files, boot files), info and raw image."""

    def __init__(self, out, name):
        self.name, self.out = name, out
        self.raw = os.path.join(out, name + ".img")
        self.info = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(out, name + ".txt")) if "=" in l)
        self.packages, self.root, self.boot = parse_manifest(os.path.join(out, name + ".manifest"))

    def fat_text(self, name):
        return subprocess.run(["mtype", "-i", self.raw + "@@4M", "::" + name], check=True, capture_output=True,
                              env={**os.environ, "MTOOLS_SKIP_CHECK": "1"}).stdout.decode()


def test_only_patterns(repo):
    return [l.strip() for l in open(os.path.join(repo, "image/test-only.txt")) if l.strip() and not l.startswith("#")]


def release_has_no_test_files(release, repo):
    found = [p for pat in test_only_patterns(repo) for p in release.root if fnmatch.fnmatch(p, pat)]
    expect(not found, f"the release image carries test files: {found}")
    expect(release.info["go2rtc_sha256"] != sha256(os.path.join(repo, "build/standin-arm64/go2rtc-standin")),
           "the release image's /usr/local/bin/go2rtc is the stand-in")
    return f"none of {len(test_only_patterns(repo))} test-only paths; go2rtc: {release.info['go2rtc']}"


def test_image_has_test_files(test, repo):
    missing = [pat for pat in test_only_patterns(repo) if not any(fnmatch.fnmatch(p, pat) for p in test.root)]
    expect(not missing, f"the test image lacks: {missing}")
    expect(test.info["go2rtc_sha256"] == sha256(os.path.join(repo, "build/standin-arm64/go2rtc-standin")),
           "the test image's /usr/local/bin/go2rtc is not the arm64 stand-in")


def sha256(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def needed_libraries(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))


def libraries_present(image, binaries):
    """Every library the binaries load (NEEDED, and the dlopened ones they name) is a file in the image."""
    have = {os.path.basename(p) for p in image.root}
    needs = {}
    for b in binaries:
        data = open(b, "rb").read()
        for lib in needed_libraries(b):
            needs.setdefault(lib, set()).add(os.path.basename(b))
        for lib, marker in DLOPENED.items():
            if marker in data or marker.decode().encode("utf-16-le") in data:
                needs.setdefault(lib, set()).add(os.path.basename(b))
    missing = {lib: sorted(by) for lib, by in needs.items() if lib not in have}
    expect(not missing, f"libraries not in the image: {missing}")
    return f"{len(needs)} libraries: {' '.join(sorted(needs))}"


def same_files_for_same_packages(release, committed_path):
    """Reproducible in shape: with the committed package list, the file list must be the committed one.
    Our own /opt/lightnvr is left out: its side files belong to the appliance's build, not to Debian."""
    if not os.path.exists(committed_path):
        raise AssertionError(f"{committed_path} is missing: run `make image-manifest`")
    c_packages, c_root, _ = parse_manifest(committed_path)
    if c_packages != release.packages:
        changed = sorted(set(release.packages) ^ set(c_packages))
        raise Skip(f"the package versions moved since the manifest was committed ({len(changed)} lines differ, "
                   f"e.g. {changed[:4]}); refresh with `make image-manifest`")
    ours = lambda p: p.startswith("opt/lightnvr/")
    a = {p: v for p, v in c_root.items() if not ours(p)}
    b = {p: v for p, v in release.root.items() if not ours(p)}
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    differ = sorted(p for p in set(a) & set(b) if a[p] != b[p])
    expect(not (only_a or only_b or differ),
           f"same packages, other files: missing {only_a[:5]}, extra {only_b[:5]}, mode/owner {differ[:5]}")
    return f"{len(release.packages)} packages → {len(b)} paths, identical"


def raspberry_pi_boot_files(release):
    """The FAT partition holds what a Raspberry Pi 3/4's firmware needs, consistent with itself."""
    kver = release.info["kernel"]
    need = ["bootcode.bin", "start.elf", "fixup.dat", "start4.elf", "fixup4.dat", "config.txt", "cmdline.txt",
            f"vmlinuz-{kver}", f"initrd.img-{kver}", "bcm2711-rpi-4-b.dtb", "bcm2837-rpi-3-b.dtb",
            "bcm2837-rpi-3-b-plus.dtb", "lightnvr.yaml", "streams.yaml"]
    missing = [f for f in need if f not in release.boot]
    expect(not missing, f"missing on the boot partition: {missing}")
    config = release.fat_text("config.txt")
    cmdline = release.fat_text("cmdline.txt")
    expect(re.search(rf"^kernel=vmlinuz-{re.escape(kver)}$", config, re.M), f"config.txt names another kernel: {config!r}")
    expect(re.search(rf"^initramfs initrd.img-{re.escape(kver)}", config, re.M), "config.txt: initramfs line")
    expect("arm_64bit=1" in config, "config.txt: arm_64bit=1 missing")
    expect("root=LABEL=rootfs" in cmdline, f"cmdline.txt does not boot the rootfs label: {cmdline!r}")
    expect("cma=" not in cmdline, f"cmdline.txt reserves CMA (unbootable on some Pi 4): {cmdline!r}")
    return f"cmdline: {cmdline.strip()}"


def led_name_in_device_tree(release, repo):
    """The release board settings' LED name is a label the Pi 3 B+ and Pi 4 device trees give an LED
    (Debian's upstream kernel: the green LED is "ACT" there, not Raspberry Pi OS's "led0")."""
    text = open(os.path.join(repo, "image/boot/board-release.yaml")).read()
    name = re.search(r'led:\s*\{[^}]*name:\s*"([^"]+)"', text).group(1)
    found = []
    for dtb_name in ("bcm2711-rpi-4-b.dtb", "bcm2837-rpi-3-b-plus.dtb"):
        dtb = subprocess.run(["mtype", "-i", release.raw + "@@4M", "::" + dtb_name], capture_output=True,
                             env={**os.environ, "MTOOLS_SKIP_CHECK": "1"}).stdout
        expect(len(dtb) > 1000, f"{dtb_name} not readable from the FAT")
        # A whole property value: FDT_PROP (3), its length (name + NUL), the name offset, then the text.
        prop = b"\x00\x00\x00\x03" + (len(name) + 1).to_bytes(4, "big") + b".{4}" + re.escape(name.encode()) + b"\x00"
        expect(b"gpio-leds\0" in dtb and re.search(prop, dtb, re.S),
               f"no LED labelled {name!r} in {dtb_name}")
        found.append(dtb_name)
    return f"LED {name!r} in {', '.join(found)}"


def boot_config_valid(image, repo, workdir):
    path = os.path.join(workdir, image.name + "-lightnvr.yaml")
    with open(path, "w") as f:
        f.write(image.fat_text("lightnvr.yaml"))
    # The image's own binary and libraries (the cached Debian root), under qemu-user.
    r = subprocess.run([os.path.join(repo, "image/check-config-arm64.sh"), os.path.join(repo, "build/image/base"),
                        os.path.join(repo, "build/publish/linux-arm64/lightnvr"), path],
                       capture_output=True, text=True)
    expect(r.returncode == 0, f"check-config: {r.stdout}{r.stderr}")


def scripts_shellcheck_clean(repo):
    import shutil
    if not shutil.which("shellcheck"):
        raise Skip("shellcheck is not installed")
    scripts = []
    for d, _, files in os.walk(os.path.join(repo, "image")):
        scripts += [os.path.join(d, f) for f in files if f.endswith(".sh") or f == "lightnvr-growroot"]
    r = subprocess.run(["shellcheck", "-S", "warning", *scripts], capture_output=True, text=True)
    expect(r.returncode == 0, r.stdout[-1500:])
    return f"{len(scripts)} scripts"
