#!/usr/bin/env bash
# install-go2rtc.sh - download, verify and install the go2rtc binary for the
# LightNVR appliance, and create a basic go2rtc configuration if none exists.
#
# Usage: toolchain/install-go2rtc.sh [--install-dir DIR] [--config-dir DIR]
#                                    [--version X] [--help]
#
# Safe to re-run: an installed binary whose SHA-256 already matches the pinned
# checksum is left alone (no download), and an existing go2rtc.yaml is never
# overwritten. Every download is checked against a SHA-256 pinned in this file
# (see PINNED_CHECKSUMS below) before it replaces anything.
set -euo pipefail

readonly PROG="${0##*/}"
readonly DEFAULT_VERSION="1.9.14"
readonly DEFAULT_INSTALL_DIR="/usr/local/bin"
readonly DEFAULT_CONFIG_DIR="/etc/lightnvr/go2rtc"
readonly DEFAULT_DOWNLOAD_BASE="https://github.com/AlexxIT/go2rtc/releases/download"
readonly BINARY_NAME="go2rtc"
readonly CONFIG_NAME="go2rtc.yaml"
readonly SUPPORTED_ARCHS="x86_64, aarch64/arm64, armv7l (also armv8l), armv6l"

# ---------------------------------------------------------------------------
# Pinned SHA-256 checksums of the official release assets, one per line:
#   <sha256>  <asset name>  <version>
# To support a new go2rtc version, add its assets' checksums here (taken from
# the GitHub release page of AlexxIT/go2rtc) and bump DEFAULT_VERSION.
# An asset with no line here is refused unless GO2RTC_SHA256 is given.
# ---------------------------------------------------------------------------
readonly PINNED_CHECKSUMS='
32d616af226bd731678ffde328b94cfb94e30339bfefc469cfb76323144615a6  go2rtc_linux_amd64  1.9.14
359fabade8a7a51e81a55fe6df6b0ef81764a5e1d63179577534eaaa71904b50  go2rtc_linux_arm64  1.9.14
4d7e1639af5a2722a28e864468fd8099b3c1682565446c798bf9e3b38fde12e4  go2rtc_linux_arm    1.9.14
4dc20370556b29f3a90f4c7a09dcd95472c8f74cca56d4d1fb91f32bdd15174c  go2rtc_linux_armv6  1.9.14
'

usage() {
    cat <<EOF
Usage: ${PROG} [--install-dir DIR] [--config-dir DIR] [--version X] [--help]

Download the go2rtc release binary for this machine's architecture, verify its
SHA-256 against the checksum pinned in this script, install it atomically as
DIR/go2rtc, and create a basic go2rtc.yaml in the config directory if absent.

Options:
  --install-dir DIR   where the go2rtc binary goes (default: ${DEFAULT_INSTALL_DIR})
  --config-dir DIR    where go2rtc.yaml goes, created with mode 0700
                      (default: ${DEFAULT_CONFIG_DIR})
  --version X         go2rtc version to install (default: ${DEFAULT_VERSION})
  -h, --help          show this help and exit

Root is needed only when a default path is used.
A re-run with an already installed, matching binary downloads nothing, and an
existing go2rtc.yaml is never overwritten.

Environment:
  GO2RTC_SHA256              explicit SHA-256 of the asset (overrides the pinned
                             table; required for versions with no pinned checksum)
  GO2RTC_ARCH                architecture to use instead of 'uname -m'
  GO2RTC_DOWNLOAD_BASE       release download base URL
                             (default: ${DEFAULT_DOWNLOAD_BASE})
  GO2RTC_CHECKSUMS_FILE      extra checksum lines "sha256  asset  version" that
                             add to or override the pinned table
  GO2RTC_SKIP_VERSION_CHECK  set to 1 to skip running 'go2rtc --version'

Exit status: 0 on success, 1 on failure, 2 on a usage error.
EOF
}

log() { printf '%s: %s\n' "${PROG}" "$*"; }
err() { printf '%s: error: %s\n' "${PROG}" "$*" >&2; }
die() { err "$@"; exit 1; }
usage_error() {
    err "$@"
    printf "Try '%s --help' for more information.\n" "${PROG}" >&2
    exit 2
}

# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------
install_dir="${DEFAULT_INSTALL_DIR}"
config_dir="${DEFAULT_CONFIG_DIR}"
version="${DEFAULT_VERSION}"

need_value() {
    # $1 = option, $2 = number of remaining arguments including the option
    if [[ "$2" -lt 2 ]]; then
        usage_error "option '$1' needs a value"
    fi
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help)
            usage
            exit 0
            ;;
        --install-dir)
            need_value "$1" "$#"
            install_dir="$2"
            shift 2
            ;;
        --install-dir=*)
            install_dir="${1#*=}"
            shift
            ;;
        --config-dir)
            need_value "$1" "$#"
            config_dir="$2"
            shift 2
            ;;
        --config-dir=*)
            config_dir="${1#*=}"
            shift
            ;;
        --version)
            need_value "$1" "$#"
            version="$2"
            shift 2
            ;;
        --version=*)
            version="${1#*=}"
            shift
            ;;
        *)
            usage_error "unknown option '$1'"
            ;;
    esac
done

[[ -n "${install_dir}" ]] || usage_error "--install-dir must not be empty"
[[ -n "${config_dir}" ]] || usage_error "--config-dir must not be empty"
version="${version#v}"
if ! [[ "${version}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    usage_error "invalid version '${version}' (expected e.g. ${DEFAULT_VERSION})"
fi

# ---------------------------------------------------------------------------
# Architecture -> release asset
# ---------------------------------------------------------------------------
arch="${GO2RTC_ARCH:-$(uname -m)}"
case "${arch}" in
    x86_64 | amd64) asset="go2rtc_linux_amd64" ;;
    aarch64 | arm64) asset="go2rtc_linux_arm64" ;;
    armv7l | armv8l) asset="go2rtc_linux_arm" ;;
    armv6l) asset="go2rtc_linux_armv6" ;;
    *) die "unsupported architecture '${arch}'; supported: ${SUPPORTED_ARCHS}. Nothing was changed." ;;
esac

# ---------------------------------------------------------------------------
# Expected checksum
# ---------------------------------------------------------------------------
# Prints the sha256 for asset $1 and version $2 from the lines on stdin; the
# last matching line wins.
checksum_from_table() {
    awk -v a="$1" -v v="$2" '
        /^[[:space:]]*(#|$)/ { next }
        $2 == a && ($3 == v || $3 == "v" v) { sum = $1 }
        END { if (sum != "") print sum }'
}

is_sha256() { [[ "$1" =~ ^[0-9a-f]{64}$ ]]; }

expected=""
source_of_expected=""
if [[ -n "${GO2RTC_SHA256:-}" ]]; then
    expected="$(printf '%s' "${GO2RTC_SHA256}" | tr '[:upper:]' '[:lower:]')"
    source_of_expected="GO2RTC_SHA256"
elif [[ -n "${GO2RTC_CHECKSUMS_FILE:-}" ]]; then
    [[ -r "${GO2RTC_CHECKSUMS_FILE}" ]] ||
        die "GO2RTC_CHECKSUMS_FILE '${GO2RTC_CHECKSUMS_FILE}' is not readable"
    expected="$(checksum_from_table "${asset}" "${version}" <"${GO2RTC_CHECKSUMS_FILE}")"
    source_of_expected="${GO2RTC_CHECKSUMS_FILE}"
fi
if [[ -z "${expected}" ]]; then
    expected="$(printf '%s\n' "${PINNED_CHECKSUMS}" | checksum_from_table "${asset}" "${version}")"
    source_of_expected="the table pinned in ${PROG}"
fi
if [[ -z "${expected}" ]]; then
    die "no pinned SHA-256 for ${asset} of go2rtc v${version}; refusing to install an unverified binary." \
        "Add it to PINNED_CHECKSUMS in ${PROG}, or set GO2RTC_SHA256 to the checksum published with the release."
fi
is_sha256 "${expected}" ||
    die "the checksum for ${asset} v${version} from ${source_of_expected} is not a SHA-256 (64 hex digits): '${expected}'"
expected="${expected,,}"

# ---------------------------------------------------------------------------
# Privileges and tools
# ---------------------------------------------------------------------------
if [[ "${EUID}" -ne 0 ]] &&
    { [[ "${install_dir}" == "${DEFAULT_INSTALL_DIR}" ]] || [[ "${config_dir}" == "${DEFAULT_CONFIG_DIR}" ]]; }; then
    die "installing to the default paths (${DEFAULT_INSTALL_DIR}, ${DEFAULT_CONFIG_DIR}) needs root; run with sudo, or pass --install-dir and --config-dir"
fi

sha256_of() {
    local out
    if command -v sha256sum >/dev/null 2>&1; then
        out="$(sha256sum -- "$1")"
    elif command -v shasum >/dev/null 2>&1; then
        out="$(shasum -a 256 -- "$1")"
    elif command -v openssl >/dev/null 2>&1; then
        out="$(openssl dgst -sha256 -r -- "$1")"
    else
        die "no SHA-256 tool found (need sha256sum, shasum or openssl)"
    fi
    out="${out%% *}"
    printf '%s\n' "${out,,}"
}

download() {
    # $1 = URL, $2 = output file
    if command -v curl >/dev/null 2>&1; then
        curl --fail --silent --show-error --location --retry 3 \
            --connect-timeout 20 --max-time 600 --output "$2" -- "$1"
    elif command -v wget >/dev/null 2>&1; then
        wget --quiet --tries=3 --timeout=60 --output-document="$2" -- "$1"
    else
        die "neither curl nor wget is installed"
    fi
}

# ---------------------------------------------------------------------------
# Binary
# ---------------------------------------------------------------------------
target="${install_dir%/}/${BINARY_NAME}"
tmp_bin=""
tmp_cfg=""
cleanup() {
    if [[ -n "${tmp_bin}" ]]; then rm -f -- "${tmp_bin}"; fi
    if [[ -n "${tmp_cfg}" ]]; then rm -f -- "${tmp_cfg}"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -e "${target}" && ! -f "${target}" ]]; then
    die "${target} exists and is not a regular file; not touching it"
fi

if [[ -f "${target}" ]] && [[ "$(sha256_of "${target}")" == "${expected}" ]]; then
    log "go2rtc v${version} (${asset}) already installed at ${target}; nothing to download"
else
    mkdir -p -- "${install_dir}"
    # The temporary file lives in the install directory, so the final mv is
    # a rename on the same filesystem: atomic.
    tmp_bin="$(mktemp -- "${install_dir%/}/.${BINARY_NAME}.download.XXXXXX")"
    base="${GO2RTC_DOWNLOAD_BASE:-${DEFAULT_DOWNLOAD_BASE}}"
    url="${base%/}/v${version}/${asset}"
    log "downloading ${url}"
    download "${url}" "${tmp_bin}" || die "download of ${url} failed; nothing was changed"

    actual="$(sha256_of "${tmp_bin}")"
    if [[ "${actual}" != "${expected}" ]]; then
        err "SHA-256 mismatch for ${asset} v${version}: refusing to install it."
        err "  expected: ${expected} (from ${source_of_expected})"
        err "  actual:   ${actual}"
        die "the download was deleted; ${target} was left untouched"
    fi
    log "SHA-256 verified: ${actual}"

    chmod 0755 -- "${tmp_bin}"
    if [[ "${GO2RTC_SKIP_VERSION_CHECK:-0}" == "1" ]]; then
        log "skipping the 'go2rtc --version' check (GO2RTC_SKIP_VERSION_CHECK=1)"
    else
        runner=()
        if command -v timeout >/dev/null 2>&1; then runner=(timeout 30); fi
        if ! version_output="$("${runner[@]}" "${tmp_bin}" --version 2>&1)"; then
            err "the downloaded binary does not run ('go2rtc --version' failed):"
            printf '%s\n' "${version_output}" >&2
            die "${target} was left untouched"
        fi
        version_line="$(printf '%s\n' "${version_output}" | head -n 1)"
        log "${version_line}"
        if [[ "${version_line}" != *"${version}"* ]]; then
            log "warning: 'go2rtc --version' does not mention ${version}"
        fi
    fi

    mv -f -- "${tmp_bin}" "${target}"
    tmp_bin=""
    log "installed go2rtc v${version} to ${target}"
fi

# ---------------------------------------------------------------------------
# Configuration (created only if absent, never overwritten)
# ---------------------------------------------------------------------------
write_default_config() {
    cat <<'EOF'
# go2rtc configuration for the LightNVR appliance.
#
# Created once by install-go2rtc.sh; re-running the installer never
# overwrites this file, so local changes are kept.
#
# The `streams:` section is managed by the LightNVR appliance: it adds and
# removes cameras there (and through go2rtc's API). Do not edit it by hand.

api:
  # Local only: the LightNVR appliance talks to go2rtc on this address.
  listen: "127.0.0.1:1984"

webrtc:
  ice_servers: []
  # To use STUN/TURN servers, replace the line above with, for example:
  # ice_servers:
  #   - urls: [stun:stun.l.google.com:19302]
  #   - urls: [turn:turn.example.com:3478]
  #     username: user
  #     credential: pass

log:
  level: info  # debug, info, warn, error

# Managed by the LightNVR appliance.
streams: {}
EOF
}

config_file="${config_dir%/}/${CONFIG_NAME}"
if [[ ! -d "${config_dir}" ]]; then
    (umask 077 && mkdir -p -- "${config_dir}")
    chmod 0700 -- "${config_dir}"
    log "created ${config_dir} (mode 0700)"
fi

if [[ -e "${config_file}" || -L "${config_file}" ]]; then
    log "keeping existing ${config_file}"
else
    tmp_cfg="$(mktemp -- "${config_dir%/}/.${CONFIG_NAME}.XXXXXX")"
    write_default_config >"${tmp_cfg}"
    chmod 0600 -- "${tmp_cfg}"
    # ln fails if the file appeared meanwhile: an existing config always wins.
    if ln -- "${tmp_cfg}" "${config_file}" 2>/dev/null; then
        log "created ${config_file} (mode 0600)"
    elif [[ -e "${config_file}" ]]; then
        log "keeping existing ${config_file}"
    else
        die "could not create ${config_file}"
    fi
    rm -f -- "${tmp_cfg}"
    tmp_cfg=""
fi

log "done"
