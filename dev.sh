#!/usr/bin/env bash
# ParamScope's one entry point for people and CI. On a fresh Debian 12 machine it installs what is
# missing (apt), builds, and then:
#   ./dev.sh app [SOURCE] [--set NAME=VALUE]...   launch the desktop app
#   ./dev.sh test                                 run every test, Release and ASan+UBSan builds
#   ./dev.sh bench                                run the benchmarks (Release)
#   ./dev.sh monkey [--seed S] [--seeds N] [--steps N] [--trace]
#                                                 random GUI sequences, longer than CI runs them
#   ./dev.sh deps                                 only install the packages
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-svg-dev libqcustomplot-dev libqcustomplot2.1-qt6
    nlohmann-json3-dev libbenchmark-dev
)

deps() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
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

command="${1:-app}"
[ $# -gt 0 ] && shift
case "$command" in
deps)
    deps
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
    deps
    build default
    ctest --preset default
    build asan
    ctest --preset asan
    ;;
bench)
    deps
    build default
    build/default/tests/bench_recompute "$@"
    [ -x build/default/tests/bench_ui ] && build/default/tests/bench_ui "$@"
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
*)
    echo "usage: ./dev.sh app|test|bench|monkey|deps" >&2
    exit 2
    ;;
esac
