// SPDX-License-Identifier: MIT
// What one slider step costs in the core: a hyperparameter changes, every count is recomputed.
// Compared with the floor: evaluating GPT-2's closed-form formula directly.
#include "evaluate.h"
#include "formula.h"
#include "presets.h"
#include "source.h"

#include <benchmark/benchmark.h>

using namespace paramscope::core;

namespace {

Design load(const std::string& name)
{
    auto d = loadSource(name);
    if (!d)
        throw std::runtime_error(d.error().text());
    return std::move(*d);
}

/// Two valid values of E to alternate between, so each step really changes something.
std::pair<Count, Count> widths(const Design& d)
{
    auto e = evaluate(d);
    const Count E = e->symbols[static_cast<std::size_t>(d.symbolIndex("E"))];
    const int h = d.symbolIndex("H");
    const Count step = h >= 0 ? e->symbols[static_cast<std::size_t>(h)] * 8 : 64;
    return { E, E + step };
}

void recompute(benchmark::State& state, const std::string& preset)
{
    Design d = load(preset);
    Evaluation eval;
    const auto [a, b] = widths(d);
    bool flip = false;
    for (auto _ : state) {
        (void)d.setValue("E", flip ? a : b);
        flip = !flip;
        if (!evaluateInto(d, eval).ok())
            state.SkipWithError("evaluation failed");
        benchmark::DoNotOptimize(eval.total);
    }
    state.counters["nodes"] = static_cast<double>(d.nodes().size());
}

void formulas(benchmark::State& state, const std::string& preset)
{
    const Design d = load(preset);
    for (auto _ : state)
        benchmark::DoNotOptimize(computeFormulas(d));
}

void closedFormGpt2(benchmark::State& state)
{
    // The notebook's count_gpt_params(V, P, E, L), with E changing as in a drag.
    Count V = 50257, P = 1024, E = 768, L = 12;
    for (auto _ : state) {
        benchmark::DoNotOptimize(E);
        const Count total = V * E + P * E + L * ((4 * E) * (E + 1) + 8 * E * E + 5 * E + 4 * E) + 2 * E;
        benchmark::DoNotOptimize(total);
        E = E == 768 ? 864 : 768;
    }
}

} // namespace

int main(int argc, char** argv)
{
    for (const Preset& p : presets()) {
        const std::string name(p.name);
        benchmark::RegisterBenchmark(("recompute/" + name).c_str(), recompute, name);
    }
    for (const Preset& p : presets()) {
        const std::string name(p.name);
        benchmark::RegisterBenchmark(("formulas/" + name).c_str(), formulas, name);
    }
    benchmark::RegisterBenchmark("closed_form/gpt2", closedFormGpt2);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
