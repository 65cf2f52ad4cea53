# LightNVR Appliance. `make run` runs the appliance; `make test` runs every test.
# Build-time options, baked into the binary as runtime defaults (a board's image can change them):
ENABLE_GO2RTC      ?= ON
GO2RTC_BINARY_PATH ?= /usr/local/bin/go2rtc
GO2RTC_CONFIG_DIR  ?= /etc/lightnvr/go2rtc
GO2RTC_API_PORT    ?= 1984

OPTIONS := -p:ENABLE_GO2RTC=$(ENABLE_GO2RTC) -p:GO2RTC_BINARY_PATH=$(GO2RTC_BINARY_PATH) \
           -p:GO2RTC_CONFIG_DIR=$(GO2RTC_CONFIG_DIR) -p:GO2RTC_API_PORT=$(GO2RTC_API_PORT)
PUBLISH := build/publish
# The arm64 binary measured at 18 454 080 bytes (2026-12-07) + 5 %: a guard against accidental growth, never loosened to pass.
ARM64_MAX_BYTES := 19376784
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

# The installed shape (make install): PREFIX holds the binary and its native side files, BINDIR a symlink to it,
# UNITDIR the systemd unit. DESTDIR is prepended to every path (a root filesystem being built).
RID     ?= linux-$(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x64)
DESTDIR ?=
PREFIX  ?= /opt/lightnvr
BINDIR  ?= /usr/local/bin
UNITDIR ?= /etc/systemd/system
DEMO_PORT ?= 8080
DEMO_DIR  ?= run/demo

.PHONY: run demo demo-deps test deps restore publish publish-x64 publish-arm64 arm64-smoke install standin clean bench soak folder-graph \
        image image-base image-test image-manifest

run:
	@toolchain/install-build-deps.sh run
	@toolchain/find-go2rtc.sh run/bin
	@toolchain/make-run-config.sh run
	dotnet run --project src/LightNvr -c Release $(OPTIONS) -- --config $(CURDIR)/run/lightnvr.yaml

# The appliance with the go2rtc stand-in and two simulated cameras on 127.0.0.1; state in DEMO_DIR.
demo: demo-deps publish-x64 standin
	@python3 toolchain/demo.py $(PUBLISH)/linux-x64 build/standin/go2rtc-standin $(DEMO_DIR) $(DEMO_PORT)

demo-deps:
	@toolchain/install-build-deps.sh demo

test: deps restore standin publish arm64-smoke
	@toolchain/run-tests.sh

deps:
	@toolchain/install-build-deps.sh test

restore:
	@dotnet restore LightNvr.sln --verbosity quiet

standin:
	@dotnet publish tests/Go2rtcStandIn -c Release -o build/standin --verbosity quiet --nologo 2>/dev/null || \
	  { test ! -d tests/Go2rtcStandIn || exit 1; }
	@cd tests/Go2rtcStandIn/webrtc-peer && { test node_modules/.package-lock.json -nt package-lock.json || \
	  npm ci --no-audit --no-fund --loglevel=error >/dev/null; }

publish: publish-x64 publish-arm64
	@ls -l $(PUBLISH)/linux-x64/lightnvr $(PUBLISH)/linux-arm64/lightnvr | awk '{printf "%-40s %6.2f MB\n", $$9, $$5/1048576}'
	@test $$(stat -c %s $(PUBLISH)/linux-arm64/lightnvr) -le $(ARM64_MAX_BYTES) || { echo "arm64 binary is $$(stat -c %s $(PUBLISH)/linux-arm64/lightnvr) bytes, over $(ARM64_MAX_BYTES) (18 454 080 measured + 5 %; the 12 MB goal is tracked by make bench)"; exit 1; }

publish-x64 publish-arm64: publish-%:
	dotnet publish src/LightNvr -c Release -r linux-$* -o $(PUBLISH)/linux-$* --nologo --verbosity quiet $(OPTIONS)
	@rm -f $(PUBLISH)/linux-$*/*.dbg

# The installed arm64 shape run as the appliance under qemu-user, to /healthz and /api/status.
arm64-smoke:
	@toolchain/arm64-smoke.sh $(PUBLISH)/linux-arm64

install: publish-$(RID:linux-%=%)
	@toolchain/install-appliance.sh $(PUBLISH)/$(RID) "$(DESTDIR)" $(PREFIX) $(BINDIR) $(UNITDIR)

# The SD-card image (see README "SD-card image"): out/lightnvr-VERSION-arm64.img.zst, its .sha256 and
# manifest. image-test also builds the TEST image (go2rtc stand-in, simulated LED/button, root shell)
# and boots it under qemu-system-aarch64; run-tests.sh runs it as part of make test.
VERSION := $(shell sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
APP_SOURCES := $(shell find src -type f -not -path '*/bin/*' -not -path '*/obj/*') Directory.Build.props Directory.Packages.props
STANDIN_SOURCES := $(shell find tests/Go2rtcStandIn -maxdepth 1 -type f)

$(PUBLISH)/linux-%/lightnvr: $(APP_SOURCES)
	@$(MAKE) --no-print-directory publish-$*

build/standin-arm64/go2rtc-standin: $(STANDIN_SOURCES)
	dotnet publish tests/Go2rtcStandIn -c Release -r linux-arm64 -o build/standin-arm64 --nologo --verbosity quiet
	@rm -f build/standin-arm64/*.dbg

# The Debian root (mostly downloads and emulated package scripts) is built while the appliance is published.
image: deps
	@start=$$(date +%s); $(MAKE) --no-print-directory -j2 image-base $(PUBLISH)/linux-arm64/lightnvr && \
	  image/build.sh release $(VERSION) && echo "image: make image took $$(( $$(date +%s) - start )) s in all"

image-base:
	@image/build.sh base

image-test: image build/standin-arm64/go2rtc-standin
	@image/build.sh test $(VERSION)
	@python3 image/test/boot_test.py out $(VERSION)

# After a deliberate change of the package list: the file list the reproducibility check compares with.
image-manifest: image
	cp out/lightnvr-$(VERSION)-arm64.manifest image/release.manifest

# Figures (bench/results.json, bench/history.jsonl, bench/policy-timelines.svg) and the soak; see README "Benchmark and soak".
SOAK_MINUTES ?= 60
SOAK_SEED    ?= 0
# Which folder of src/LightNvr uses which, drawn into docs/folder-graph.mmd (a test keeps it current and cycle-free).
folder-graph: restore
	@toolchain/folder-graph.sh docs/folder-graph.mmd

bench: deps publish-x64 standin
	python3 bench/bench.py
	dotnet run --project bench/PolicyReplay -c Release --nologo -v q -- --svg bench/policy-timelines.svg

soak: deps publish-x64 standin
	python3 bench/soak.py --minutes $(SOAK_MINUTES) --seed $(SOAK_SEED)

clean:
	rm -rf build out run src/*/bin src/*/obj tests/*/bin tests/*/obj bench/*/bin bench/*/obj
