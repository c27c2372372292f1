// SPDX-License-Identifier: MIT
// memory and flops: what a design needs in bytes (weights, KV cache, training states, what fits)
// and in FLOPs (per token, for training, compute-optimal tokens).
#include "cliutil.h"
#include "commands.h"

#include "report.h"
#include "sizingreport.h"

#include <iostream>

namespace paramscope::cli {

using namespace core;

namespace {

/// --format of memory and flops (no LaTeX), --json included.
Result<Format> sizingFormat(const FormatArgs& a)
{
    const std::string name = a.chosen();
    auto format = parseFormat(name);
    if (!format || *format == Format::Latex)
        return Error { "--format", "unknown format '" + name + "' (text, json, csv, markdown)" };
    return *format;
}

struct MemoryArgs {
    DesignArgs design;
    FormatArgs format;
    std::optional<std::string> dtype, kvDtype, context, encoderContext, batch, devices, zero, deviceMemory;
};

/// The options of `memory` as core's MemoryOptions. Error: names the option.
Result<MemoryOptions> memoryOptions(const MemoryArgs& a)
{
    MemoryOptions o;
    for (auto [option, text, target] :
        { std::tuple { "--dtype", &a.dtype, &o.dtype }, { "--kv-dtype", &a.kvDtype, &o.kvDtype } }) {
        if (!*text)
            continue;
        auto t = parseDataType(**text);
        if (!t)
            return t.error().within(option);
        *target = *t;
    }
    if (a.context) {
        auto n = parsePositive("--context", *a.context);
        if (!n)
            return n.error();
        o.context = *n;
    }
    if (a.encoderContext) {
        auto n = parsePositive("--encoder-context", *a.encoderContext);
        if (!n)
            return n.error();
        o.encoderContext = *n;
    }
    for (auto [option, text, target] :
        { std::tuple { "--batch", &a.batch, &o.batch }, { "--devices", &a.devices, &o.devices } }) {
        if (!*text)
            continue;
        auto n = parsePositive(option, **text);
        if (!n)
            return n.error();
        *target = *n;
    }
    if (a.zero) {
        const std::string& z = *a.zero;
        if (z != "0" && z != "1" && z != "2" && z != "3")
            return Error { "--zero", "'" + z + "' is not a ZeRO stage (0, 1, 2 or 3)" };
        o.zeroStage = z[0] - '0';
        o.zeroGiven = true;
    }
    if (o.devices > 1 && !o.zeroGiven)
        o.zeroStage = 0; // plain data parallelism: every device holds everything
    if (a.deviceMemory) {
        o.deviceMemory.clear();
        const std::string& list = *a.deviceMemory;
        std::size_t from = 0;
        while (from <= list.size()) {
            const auto comma = std::min(list.find(',', from), list.size());
            auto bytes = parseMemorySize(list.substr(from, comma - from));
            if (!bytes)
                return bytes.error().within("--device-memory");
            o.deviceMemory.push_back(*bytes);
            from = comma + 1;
        }
    }
    return o;
}

/// SOURCE loaded with --class and --set, and counted.
Result<Counted> counted(const DesignArgs& design, const std::string& command)
{
    auto source = design.single(command);
    if (!source)
        return source.error();
    auto d = design.load(*source);
    if (!d)
        return d.error();
    return count(std::move(*d));
}

} // namespace

void addMemoryCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand("memory",
        "weights, KV cache, training states and what fits (dtype: fp32, bf16, fp16, fp8, int8, int4 or bits per "
        "weight such as 4.5)");
    auto a = std::make_shared<MemoryArgs>();
    a->design.addTo(command);
    command->add_option("--dtype", a->dtype, "weights' format (default bf16)")->type_name("DTYPE");
    command->add_option("--kv-dtype", a->kvDtype, "the KV cache's format (default bf16)")->type_name("DTYPE");
    command->add_option("--context", a->context, "tokens (default: the design's P)")->type_name("N");
    command
        ->add_option("--encoder-context", a->encoderContext,
            "encoder-decoders: the input's tokens, which the cross-attention caches (default: the context)")
        ->type_name("N");
    command->add_option("--batch", a->batch, "sequences (default 1)")->type_name("B");
    command->add_option("--devices", a->devices, "training devices (default 1)")->type_name("N");
    command->add_option("--zero", a->zero, "ZeRO stage: 0, 1, 2 or 3")->type_name("STAGE");
    command->add_option("--device-memory", a->deviceMemory, "device sizes for \"fits on\" (default 24GB,80GB)")
        ->type_name("24GB,80GB");
    a->format.addTo(command, "text", "text, json, csv, markdown");
    onRun(command, status, [a] {
        // Options first: a bad option is reported before SOURCE is read.
        if (a->design.sources.empty())
            return fail(a->design.single("memory").error());
        auto format = sizingFormat(a->format);
        if (!format)
            return fail(format.error());
        auto o = memoryOptions(*a);
        if (!o)
            return fail(o.error());
        auto c = counted(a->design, "memory");
        if (!c)
            return fail(c.error());
        auto r = memoryReport(*c, *o);
        if (!r)
            return fail(r.error());
        std::cout << memoryOutput(*r, *format);
        return kOk;
    });
}

void addFlopsCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand("flops", "forward FLOPs per token, training FLOPs, compute-optimal tokens");
    auto design = std::make_shared<DesignArgs>();
    auto format = std::make_shared<FormatArgs>();
    auto context = std::make_shared<std::optional<std::string>>();
    auto tokens = std::make_shared<std::optional<std::string>>();
    auto encoder = std::make_shared<std::optional<std::string>>();
    design->addTo(command);
    command->add_option("--context", *context, "tokens of context (default: the design's P)")->type_name("N");
    command
        ->add_option("--encoder-context", *encoder,
            "encoder-decoders: the input's tokens, which cross-attention attends to (default: the context)")
        ->type_name("N");
    command->add_option("--tokens", *tokens, "training tokens")->type_name("T");
    format->addTo(command, "text", "text, json, csv, markdown");
    onRun(command, status, [design, format, context, tokens, encoder] {
        if (design->sources.empty())
            return fail(design->single("flops").error());
        auto f = sizingFormat(*format);
        if (!f)
            return fail(f.error());
        std::optional<Count> contextTokens;
        Count trainingTokens = 0;
        if (*context) {
            auto n = parsePositive("--context", **context);
            if (!n)
                return fail(n.error());
            contextTokens = *n;
        }
        if (*tokens) {
            auto n = parsePositive("--tokens", **tokens);
            if (!n)
                return fail(n.error());
            trainingTokens = *n;
        }
        std::optional<Count> encoderTokens;
        if (*encoder) {
            auto n = parsePositive("--encoder-context", **encoder);
            if (!n)
                return fail(n.error());
            encoderTokens = *n;
        }
        auto c = counted(*design, "flops");
        if (!c)
            return fail(c.error());
        auto r = flopsReport(*c, contextTokens, trainingTokens, encoderTokens);
        if (!r)
            return fail(r.error());
        std::cout << flopsOutput(*r, *f);
        return kOk;
    });
}

} // namespace paramscope::cli
