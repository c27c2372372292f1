#!/usr/bin/env bash
# ParamScope's one entry point for people and CI. On a fresh Debian 12 machine it installs what is
# missing (apt), builds, and then:
#   ./dev.sh app [SOURCE] [--set NAME=VALUE]...   launch the desktop app
#   ./dev.sh test                                 run every test (AddressSanitizer + UBSan build)
#   ./dev.sh bench                                run the benchmarks (Release)
#   ./dev.sh fuzz [SECONDS]                       run each libFuzzer target SECONDS (default 60)
#   ./dev.sh monkey [--seed S] [--seeds N] [--steps N] [--trace]
#                                                 random GUI sequences, longer than CI runs them
#   ./dev.sh package                              build paramscope_VERSION_ARCH.deb here
#                                                 (then: apt install ./paramscope_*.deb)
#   ./dev.sh deps                                 only install the packages
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-svg-dev libqcustomplot-dev libqcustomplot2.1-qt6
    nlohmann-json3-dev libcli11-dev libbenchmark-dev
)
# The fuzz targets build with clang and its libFuzzer runtime (fuzz and test commands).
FUZZ_PACKAGES=(clang libclang-rt-14-dev)
FUZZ_TARGETS=(design hfimport expr safetensors gguf)
# tst_install checks the installed desktop files with Debian's validators, the MIME type with
# shared-mime-info and the man pages with groff.
TEST_PACKAGES=(desktop-file-utils appstream shared-mime-info groff-base)
# cpack -G DEB finds the package's Depends with dpkg-shlibdeps (which needs file).
PACKAGE_PACKAGES=(dpkg-dev file)

# Installs PACKAGES and the extra packages given as arguments.
deps() {
    local missing=()
    for p in "${PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# CI builds with warnings as errors.
werror() { [ -n "${CI:-}" ] && echo "-DPARAMSCOPE_WERROR=ON" || echo "-DPARAMSCOPE_WERROR=OFF"; }

build() {
    cmake --preset "$1" "$(werror)" >/dev/null
    cmake --build --preset "$1"
}

# Runs every fuzz target for $1 seconds on a corpus kept in build/fuzz/corpus (seeded from
# tests/fuzz/corpus and tests/fuzz/regressions). A crash, hang (10 s), leak or memory blow-up
# (2 GB) is minimised and copied to tests/fuzz/regressions/TARGET/, where ctest replays it in the
# gcc builds; the command then fails. The other targets still run.
fuzz() {
    local seconds="$1" failed=()
    build fuzz
    # -max_len: the largest seed would set it otherwise (a 1 MB regression input), and mutating
    # inputs that large slows every execution; ctest replays the regressions whole.
    local limits=(-timeout=10 -rss_limit_mb=2048 -max_len=65536)
    for t in "${FUZZ_TARGETS[@]}"; do
        local exe=build/fuzz/tests/fuzz/fuzz_$t corpus=build/fuzz/corpus/$t out=build/fuzz/artifacts/$t
        local log=build/fuzz/logs/$t.log
        mkdir -p "$corpus" "$out" build/fuzz/logs tests/fuzz/regressions/$t
        rm -f "$out"/*
        echo "== fuzz_$t: ${seconds} s (log: $log)"
        if UBSAN_OPTIONS=print_stacktrace=1 "$exe" "${limits[@]}" -max_total_time="$seconds" \
            -dict=tests/fuzz/$t.dict -artifact_prefix="$out/" -print_final_stats=1 \
            "$corpus" tests/fuzz/corpus/$t tests/fuzz/regressions/$t >"$log" 2>&1; then
            grep -E '^#[0-9]+' "$log" | tail -1
            continue
        fi
        failed+=("$t")
        grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: |.*runtime error)' "$log" | head -5 || true
        local found=0
        for a in "$out"/*; do
            [ -f "$a" ] || continue
            found=1
            local name kind min
            name=$(basename "$a")
            kind=${name%%-*}
            min="$out/minimized-$name"
            echo "   minimising $a"
            "$exe" "${limits[@]}" -minimize_crash=1 -runs=20000 -max_total_time=60 \
                -exact_artifact_path="$min" "$a" >"$log.minimize" 2>&1 || true
            [ -s "$min" ] || cp "$a" "$min"
            local kept="tests/fuzz/regressions/$t/$kind-$(sha1sum "$min" | cut -c1-16)"
            cp "$min" "$kept"
            echo "   kept $kept ($(stat -c %s "$kept") bytes)"
            # CI's workspace is thrown away: the log must carry a small input itself.
            if [ "$(stat -c %s "$kept")" -le 4096 ]; then
                echo "   base64: $(base64 -w0 "$kept")"
            fi
        done
        [ $found -eq 1 ] || echo "   no input saved: see $log"
    done
    if [ ${#failed[@]} -gt 0 ]; then
        echo "fuzz: findings in ${failed[*]} (inputs in tests/fuzz/regressions/; fix them, then commit the inputs)" >&2
        return 1
    fi
}

command="${1:-app}"
[ $# -gt 0 ] && shift
case "$command" in
deps)
    deps "${FUZZ_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"
    ;;
app)
    deps
    build default
    if [ -x build/default/app/paramscope ]; then
        exec build/default/app/paramscope "$@"
    fi
    exec build/default/app/paramscope-cli count "${@:-gpt2}"
    ;;
test)
    # One build, the strictest: every test under AddressSanitizer + UBSan (Debug). A second,
    # Release build of the whole tree would double CI's time for what -O3 adds; `app` and
    # `bench` build Release.
    deps "${FUZZ_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    build asan
    ctest --preset asan
    ;;
bench)
    deps
    build default
    build/default/tests/bench_recompute "$@"
    [ -x build/default/tests/bench_ui ] && build/default/tests/bench_ui "$@"
    ;;
fuzz)
    seconds="${1:-60}"
    if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
        echo "usage: ./dev.sh fuzz [SECONDS per target]" >&2
        exit 2
    fi
    deps "${FUZZ_PACKAGES[@]}"
    fuzz "$seconds"
    ;;
monkey)
    deps
    build default
    while [ $# -gt 0 ]; do
        case "$1" in
        --seed) export PARAMSCOPE_MONKEY_SEED="$2"; shift 2 ;;
        --seeds) export PARAMSCOPE_MONKEY_SEEDS="$2"; shift 2 ;;
        --steps) export PARAMSCOPE_MONKEY_STEPS="$2"; shift 2 ;;
        --trace) export PARAMSCOPE_MONKEY_TRACE=1; shift ;;
        *) echo "usage: ./dev.sh monkey [--seed S] [--seeds N] [--steps N] [--trace]" >&2; exit 2 ;;
        esac
    done
    export PARAMSCOPE_MONKEY_STEPS="${PARAMSCOPE_MONKEY_STEPS:-20000}"
    QT_QPA_PLATFORM="offscreen:configfile=$PWD/tests/data/offscreen-1920x1080.json" \
        QTEST_FUNCTION_TIMEOUT=86400000 exec build/default/tests/tst_monkey -maxwarnings 0
    ;;
package)
    deps "${PACKAGE_PACKAGES[@]}"
    build default
    rm -f build/default/paramscope_*.deb
    (cd build/default && cpack -G DEB)
    mv build/default/paramscope_*.deb .
    ls -l paramscope_*.deb
    ;;
*)
    echo "usage: ./dev.sh app|test|bench|fuzz|monkey|package|deps" >&2
    exit 2
    ;;
esac
