// SPDX-License-Identifier: MIT
#include "sizingreport.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace paramscope::core {

namespace {

using json = nlohmann::ordered_json;

const char* kWeightsConvention = "each tensor (a module's weight, its bias) stored at the format's bits per weight, "
                                 "rounded up to whole bytes per tensor; a tied weight once; no quantisation scales";
const char* kKvConvention
    = "k and v of every decoder attention layer, elements per token as the tree's projections give them (K×D "
      "each with GQA/MQA); a sliding-window layer holds at most its window; MLA caches the latent and the RoPE "
      "key; layers without attention hold none; rounded up to whole bytes once (an encoder such as BERT keeps "
      "no cache: there it is what its keys and values take)";
const char* kCrossConvention
    = "encoder-decoder: every decoder layer's cross-attention caches k and v of each encoder token, computed "
      "once from the encoder's output; the input has as many tokens as the context unless --encoder-context says "
      "otherwise; the encoder itself "
      "caches nothing, and the KV cache above is the decoder's self-attention per generated token";
const char* kStateConvention
    = "state-space layers (Mamba) hold no KV cache: each keeps a fixed state per sequence whatever the context, "
      "as transformers' cache holds it (convolution state: channels × conv_kernel; SSM state: d_inner × "
      "state_size), in the KV dtype";
const char* kTrainingConvention = "mixed-precision Adam, 16 bytes per parameter: bf16 weights (2) and gradients (2), "
                                  "fp32 master weights (4) and two moments (4 + 4); activations, buffers and "
                                  "fragmentation not included";
const char* kFitConvention = "inference: weights + KV cache at the context and batch; training: the states above "
                             "(no activations), so the device count is a lower bound";
const char* kForwardFormula = "C_forward = 2N + 2·n_layer·n_ctx·d_attn";
const char* kForwardConvention
    = "Kaplan et al. 2020, Table 1: N = non-embedding parameters (Embedding weights left out, as "
      "transformers' exclude_embeddings; MoE: the active ones); "
      "the attention term summed over the tree's attention layers, n_ctx capped at a "
      "layer's sliding window; one multiply-add = 2 FLOPs";
const char* kCrossFlopsFormula = "2·n_layer·n_enc·d_attn";
const char* kCrossFlopsConvention
    = "encoder-decoder: each decoder layer's cross-attention adds Kaplan's attention term over the encoder's "
      "tokens, n_enc = the context unless --encoder-context says otherwise; the encoder's and decoder's "
      "self-attention are in the term above; SSM mixers have no attention term";
const char* kTrainingFlopsFormula = "C_train ≈ 6·N·tokens";
const char* kTrainingFlopsConvention
    = "Kaplan et al. 2020: forward and backward, the context term left out; N as above";
const char* kKvUncompressedConvention
    = "the per-head keys and values the compressed cache stands for (MLA without absorption)";
const char* kUnits = "GiB = 2^30 bytes, GB = 10^9 bytes";
const char* kOptimalFormula = "D_opt ≈ 20 × parameters";
const char* kOptimalConvention = "Hoffmann et al. 2022 (Chinchilla): about 20 training tokens per parameter";

double rounded(double x, int places)
{
    const double f = std::pow(10.0, places);
    return std::round(x * f) / f;
}

/// {"bytes": n, "GiB": …, "GB": …}: the exact integer and the two human units, labelled.
void putBytes(json& j, Count bytes)
{
    j["bytes"] = bytes;
    j["GiB"] = rounded(static_cast<double>(bytes) / static_cast<double>(Count(1) << 30), 3);
    j["GB"] = rounded(static_cast<double>(bytes) / 1e9, 3);
}

json bytesJson(Count bytes)
{
    json j = json::object();
    putBytes(j, bytes);
    return j;
}

std::string bitsText(Count milliBits)
{
    char buf[32];
    if (milliBits % 1000 == 0)
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(milliBits / 1000));
    else
        std::snprintf(buf, sizeof buf, "%g", static_cast<double>(milliBits) / 1000.0);
    return buf;
}

json bitsJson(Count milliBits)
{
    if (milliBits % 1000 == 0)
        return milliBits / 1000;
    return static_cast<double>(milliBits) / 1000.0;
}

/// "1073741824" as "1,073,741,824" (any length: training FLOPs exceed 64 bits).
std::string grouped(const std::string& digits)
{
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

/// One figure of a text, CSV or Markdown table.
struct Line {
    std::string figure;
    std::string value; ///< exact, digits grouped in text
    std::string unit; ///< "bytes", "FLOPs", "tokens", "devices", or empty
    std::string human; ///< "14.96 GiB (16.06 GB)"
    std::string note; ///< convention or detail
    bool bytes = false;
    Count raw = 0;
};

Line bytesLine(std::string figure, Count bytes, std::string note = {})
{
    return { std::move(figure), std::to_string(bytes), "bytes", gibText(bytes) + " (" + gbText(bytes) + ")",
        std::move(note), true, bytes };
}

Line countLine(std::string figure, Count n, std::string unit, std::string note = {})
{
    // Below ten thousand the compact form is the number again: leave it out.
    return { std::move(figure), std::to_string(n), std::move(unit), n < 10000 ? std::string() : compactCount(n),
        std::move(note), false, n };
}

std::string render(
    const std::string& title, const std::vector<Line>& lines, const std::vector<std::string>& notes, Format format)
{
    std::ostringstream out;
    if (format == Format::Csv) {
        out << "figure,value,unit,human,note\n";
        for (const auto& l : lines)
            out << csvField(l.figure) << ',' << l.value << ',' << l.unit << ',' << csvField(l.human) << ','
                << csvField(l.note) << "\n";
        for (const auto& n : notes)
            out << "# " << n << "\n";
        return out.str();
    }
    if (format == Format::Markdown) {
        out << "**" << title << "**\n\n| figure | value | unit | human | note |\n| --- | ---: | --- | ---: | --- |\n";
        for (const auto& l : lines)
            out << "| " << l.figure << " | " << grouped(l.value) << " | " << l.unit << " | " << l.human << " | "
                << l.note << " |\n";
        out << "\n";
        for (const auto& n : notes)
            out << "- " << n << "\n";
        return out.str();
    }
    out << title << "\n\n";
    // Columns by characters, not bytes ("·" and "×" take two bytes and one column).
    auto columns = [](const std::string& s) {
        return static_cast<std::size_t>(
            std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    };
    std::size_t width = 0;
    for (const auto& l : lines)
        if (!l.value.empty())
            width = std::max(width, columns(l.figure));
    for (const auto& l : lines) {
        if (l.value.empty()) { // a detail line: no value columns
            out << l.figure << (l.note.empty() ? "" : "  " + l.note) << "\n";
            continue;
        }
        char buf[512];
        std::snprintf(buf, sizeof buf, "  %26s %-9s %s", grouped(l.value).c_str(), l.unit.c_str(), l.human.c_str());
        std::string line = l.figure + std::string(width - columns(l.figure), ' ') + buf;
        if (!l.note.empty())
            line += "  " + l.note;
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out << line << "\n";
    }
    if (!notes.empty())
        out << "\nConventions:\n";
    for (const auto& n : notes)
        out << "- " << n << "\n";
    return out.str();
}

Result<Count> defaultContext(const Design& design, const Evaluation& e, std::optional<Count> context)
{
    if (context)
        return *context;
    const int p = design.symbolIndex("P");
    if (p < 0)
        return Error { "--context", "the design has no context length P: give --context N" };
    return e.symbols[static_cast<std::size_t>(p)];
}

std::string groupText(const AttentionGroup& g)
{
    std::string s = g.path + ": " + groupDigits(g.layers) + (g.layers == 1 ? " layer" : " layers") + " × "
        + groupDigits(g.cache) + " values/token";
    if (g.uncompressed != g.cache)
        s += " (uncompressed " + groupDigits(g.uncompressed) + ")";
    s += g.window > 0 ? ", sliding window " + groupDigits(g.window) + " tokens" : ", whole context";
    return s;
}

std::string zeroText(int stage)
{
    switch (stage) {
    case 1:
        return "ZeRO-1 shards the optimizer states (12 B/param)";
    case 2:
        return "ZeRO-2 shards the optimizer states and the gradients (14 B/param)";
    case 3:
        return "ZeRO-3 shards the optimizer states, the gradients and the weights (16 B/param)";
    default:
        return "no sharding (ZeRO-0): every device holds all 16 B/param";
    }
}

} // namespace

const SizingConventions& sizingConventions()
{
    static const SizingConventions conventions { kWeightsConvention, kKvConvention, kKvUncompressedConvention,
        kTrainingConvention, kFitConvention, kForwardFormula, kForwardConvention, kTrainingFlopsFormula,
        kTrainingFlopsConvention, kOptimalFormula, kOptimalConvention, kUnits, kCrossConvention, kStateConvention,
        kCrossFlopsFormula, kCrossFlopsConvention };
    return conventions;
}

std::string zeroShardingText(int stage)
{
    return zeroText(stage);
}

Result<MemoryReport> memoryReport(const Counted& c, const MemoryOptions& o)
{
    return memoryReport(c.design, c.evaluation, o);
}

Result<MemoryReport> memoryReport(const Design& design, const Evaluation& evaluation, const MemoryOptions& o)
{
    MemoryReport r;
    r.name = design.name;
    r.className = design.className;
    r.parameters = evaluation.total;
    auto context = defaultContext(design, evaluation, o.context);
    if (!context)
        return context.error();
    if (*context < 1)
        return Error { "--context", "must be at least 1" };
    if (o.batch < 1)
        return Error { "--batch", "must be at least 1" };
    r.context = *context;
    r.batch = o.batch;
    if (o.encoderContext && *o.encoderContext < 1)
        return Error { "--encoder-context", "must be at least 1" };
    r.encoderGiven = o.encoderContext.has_value();
    r.encoderContext = o.encoderContext.value_or(r.context);

    auto w = weightMemory(design, evaluation, o.dtype);
    if (!w)
        return w.error();
    r.weights = *w;
    for (const char* name : { "fp32", "bf16", "fp8", "int4" }) {
        auto other = weightMemory(design, evaluation, *parseDataType(name));
        if (!other)
            return other.error();
        r.otherFormats.push_back(*other);
    }
    if (o.dtype.milliBits % 4000 != 0 || o.dtype.milliBits > 32000 || o.dtype.milliBits == 12000)
        r.otherFormats.push_back(r.weights); // a width the table does not show already

    auto groups = attentionGroups(design, evaluation);
    if (!groups)
        return groups.error();
    r.attention = std::move(*groups);
    r.kvDtype = o.kvDtype;
    for (const auto& g : r.attention)
        r.compressed = r.compressed || g.uncompressed != g.cache;
    auto perToken = kvCacheBytes(r.attention, 1, 1, o.kvDtype);
    auto atContext = kvCacheBytes(r.attention, r.context, r.batch, o.kvDtype);
    auto fullPerToken = kvCacheBytes(r.attention, 1, 1, o.kvDtype, true);
    auto fullAtContext = kvCacheBytes(r.attention, r.context, r.batch, o.kvDtype, true);
    for (const auto* k : { &perToken, &atContext, &fullPerToken, &fullAtContext })
        if (!*k)
            return Error { "--context",
                "the KV cache of " + groupDigits(r.context) + " tokens × batch " + groupDigits(r.batch)
                    + " overflows 64 bits" };
    r.kvPerToken = *perToken;
    r.kvBytes = *atContext;
    r.kvUncompressedPerToken = *fullPerToken;
    r.kvUncompressedBytes = *fullAtContext;

    auto cross = crossAttentionGroups(design, evaluation);
    if (!cross)
        return cross.error();
    r.cross = std::move(*cross);
    auto crossPerToken = kvCacheBytes(r.cross, 1, 1, o.kvDtype);
    auto crossBytes = kvCacheBytes(r.cross, r.encoderContext, r.batch, o.kvDtype);
    if (!crossPerToken || !crossBytes)
        return Error { r.encoderGiven ? "--encoder-context" : "--context",
            "the cross-attention cache of " + groupDigits(r.encoderContext) + " encoder tokens × batch "
                + groupDigits(r.batch) + " overflows 64 bits" };
    r.crossPerToken = *crossPerToken;
    r.crossBytes = *crossBytes;
    auto states = stateGroups(design, evaluation);
    if (!states)
        return states.error();
    r.states = std::move(*states);
    auto perSequence = stateBytes(r.states, 1, o.kvDtype);
    auto allStates = stateBytes(r.states, r.batch, o.kvDtype);
    if (!perSequence || !allStates)
        return Error { "--batch", "the SSM state of batch " + groupDigits(r.batch) + " overflows 64 bits" };
    r.statePerSequence = *perSequence;
    r.stateBytes = *allStates;

    auto t = trainingMemory(r.parameters, o.zeroStage, o.devices);
    if (!t)
        return t.error();
    r.training = *t;

    const int p = design.symbolIndex("P");
    const Count cap = p >= 0 ? evaluation.symbols[static_cast<std::size_t>(p)] : Count(1) << 40;
    for (Count device : o.deviceMemory) {
        DeviceFit f;
        f.bytes = device;
        f.weightsFit = r.weights.bytes <= device;
        // Everything generation holds besides the weights: KV cache, cross-attention cache, SSM state.
        auto held = [&](Count contextTokens, Count batch) -> std::optional<Count> {
            auto kv = kvCacheBytes(r.attention, contextTokens, batch, o.kvDtype);
            // The encoder's input follows the context unless its length was given.
            auto cross = kvCacheBytes(r.cross, r.encoderGiven ? r.encoderContext : contextTokens, batch, o.kvDtype);
            auto state = stateBytes(r.states, batch, o.kvDtype);
            if (!kv || !cross || !state)
                return std::nullopt;
            auto sum = checkedAdd(*kv, *cross);
            return sum ? checkedAdd(*sum, *state) : std::nullopt;
        };
        const auto heldNow = held(r.context, r.batch);
        auto inference = heldNow ? checkedAdd(r.weights.bytes, *heldNow) : std::nullopt;
        f.inference = inference.value_or(-1);
        f.inferenceFits = inference && *inference <= device;
        auto fits = [&](Count contextTokens, Count batch) {
            auto bytes = held(contextTokens, batch);
            return bytes && *bytes <= device - r.weights.bytes;
        };
        if (f.weightsFit) {
            f.contextCap = cap;
            f.capIsP = p >= 0;
            f.largestContext = largestFitting(cap, [&](Count x) { return fits(x, r.batch); });
            f.largestBatch = largestFitting(Count(1) << 62, [&](Count b) { return fits(r.context, b); });
        }
        f.trainingStage = o.zeroGiven ? o.zeroStage : 3;
        f.trainingDevices = trainingDevices(r.parameters, f.trainingStage, device);
        r.fits.push_back(f);
    }
    return r;
}

std::string memoryOutput(const MemoryReport& r, Format format)
{
    const std::string kvLabel = "KV cache (" + r.kvDtype.name + ")";
    const std::string contextText = groupDigits(r.context) + " tokens × batch " + groupDigits(r.batch);
    if (format == Format::Json) {
        json j;
        j["name"] = r.name;
        j["class"] = r.className;
        j["parameters"] = r.parameters;
        j["context"] = r.context;
        j["batch"] = r.batch;
        json weights;
        weights["dtype"] = r.weights.dtype.name;
        weights["bits_per_weight"] = bitsJson(r.weights.dtype.milliBits);
        putBytes(weights, r.weights.bytes);
        weights["tensors"] = r.weights.tensors;
        weights["by_component"] = json::object();
        for (std::size_t i = 0; i < kComponentCount; ++i)
            if (r.weights.byComponent[i] > 0)
                weights["by_component"][std::string(componentName(static_cast<Component>(i)))]
                    = bytesJson(r.weights.byComponent[i]);
        weights["convention"] = kWeightsConvention;
        j["weights"] = weights;
        json formats = json::array();
        for (const auto& f : r.otherFormats) {
            json x;
            x["dtype"] = f.dtype.name;
            x["bits_per_weight"] = bitsJson(f.dtype.milliBits);
            putBytes(x, f.bytes);
            formats.push_back(x);
        }
        j["weights_by_format"] = formats;
        json kv;
        kv["dtype"] = r.kvDtype.name;
        kv["bits_per_value"] = bitsJson(r.kvDtype.milliBits);
        kv["bytes_per_token"] = r.kvPerToken;
        kv["context"] = r.context;
        kv["batch"] = r.batch;
        putBytes(kv, r.kvBytes);
        json layers = json::array();
        for (const auto& g : r.attention) {
            json x;
            x["module"] = g.path;
            x["layers"] = g.layers;
            x["values_per_token"] = g.cache;
            if (g.uncompressed != g.cache)
                x["uncompressed_values_per_token"] = g.uncompressed;
            x["window"] = g.window > 0 ? json(g.window) : json(nullptr);
            layers.push_back(x);
        }
        kv["layers"] = layers;
        if (r.compressed) {
            json u;
            u["bytes_per_token"] = r.kvUncompressedPerToken;
            putBytes(u, r.kvUncompressedBytes);
            u["convention"] = kKvUncompressedConvention;
            kv["uncompressed"] = u;
        }
        kv["convention"] = kKvConvention;
        j["kv_cache"] = kv;
        if (!r.cross.empty()) {
            json x;
            x["bytes_per_encoder_token"] = r.crossPerToken;
            x["encoder_tokens"] = r.encoderContext;
            x["batch"] = r.batch;
            putBytes(x, r.crossBytes);
            json list = json::array();
            for (const auto& g : r.cross)
                list.push_back({ { "module", g.path }, { "layers", g.layers }, { "values_per_token", g.cache } });
            x["layers"] = list;
            x["convention"] = kCrossConvention;
            j["cross_attention_cache"] = x;
        }
        if (!r.states.empty()) {
            json x;
            x["dtype"] = r.kvDtype.name;
            x["bytes_per_sequence"] = r.statePerSequence;
            x["batch"] = r.batch;
            putBytes(x, r.stateBytes);
            json list = json::array();
            for (const auto& g : r.states)
                list.push_back({ { "module", g.path }, { "layers", g.layers }, { "values_per_sequence", g.elements } });
            x["layers"] = list;
            x["convention"] = kStateConvention;
            j["ssm_state"] = x;
        }
        json t;
        t["bytes_per_parameter"] = 16;
        putBytes(t, r.training.total);
        t["zero_stage"] = r.training.zeroStage;
        t["devices"] = r.training.devices;
        t["per_device"] = bytesJson(r.training.perDevice);
        t["per_device_states"] = { { "weights", r.training.weights }, { "gradients", r.training.gradients },
            { "optimizer", r.training.optimizer } };
        t["sharding"] = zeroText(r.training.zeroStage);
        t["convention"] = kTrainingConvention;
        j["training"] = t;
        json fits = json::array();
        for (const auto& f : r.fits) {
            json x;
            x["device"] = bytesJson(f.bytes);
            x["weights_fit"] = f.weightsFit;
            x["inference"] = bytesJson(f.inference);
            x["inference_fits"] = f.inferenceFits;
            x["largest_context"] = f.largestContext;
            x["context_cap"] = f.contextCap;
            x["largest_batch"] = f.largestBatch;
            x["training_zero_stage"] = f.trainingStage;
            x["training_devices"] = f.trainingDevices ? json(*f.trainingDevices) : json(nullptr);
            fits.push_back(x);
        }
        j["fits"] = fits;
        j["fits_convention"] = kFitConvention;
        return j.dump(2) + "\n";
    }

    std::vector<Line> lines;
    lines.push_back(countLine("parameters", r.parameters, ""));
    lines.push_back(bytesLine("weights (" + r.weights.dtype.name + ")", r.weights.bytes,
        bitsText(r.weights.dtype.milliBits) + " bits per weight"));
    for (std::size_t i = 0; i < kComponentCount; ++i)
        if (r.weights.byComponent[i] > 0)
            lines.push_back(
                bytesLine("  " + std::string(componentLabel(static_cast<Component>(i))), r.weights.byComponent[i]));
    for (const auto& f : r.otherFormats)
        lines.push_back(bytesLine("weights at " + f.dtype.name, f.bytes));
    lines.push_back(bytesLine(kvLabel + " per token", r.kvPerToken));
    lines.push_back(bytesLine(kvLabel + " at " + contextText, r.kvBytes));
    for (const auto& g : r.attention)
        if (g.cache > 0 || g.uncompressed > 0) // an encoder's attention caches nothing
            lines.push_back({ "  " + groupText(g), "", "", "", "", false, 0 });
    if (!r.cross.empty()) {
        lines.push_back(bytesLine("cross-attention K/V (" + r.kvDtype.name + ") per encoder token", r.crossPerToken));
        lines.push_back(bytesLine("cross-attention K/V at " + groupDigits(r.encoderContext) + " encoder tokens × batch "
                + groupDigits(r.batch),
            r.crossBytes, r.encoderGiven ? "--encoder-context" : "encoder tokens = context"));
        for (const auto& g : r.cross)
            lines.push_back({ "  " + g.path + ": " + groupDigits(g.layers) + (g.layers == 1 ? " layer" : " layers")
                    + " × " + groupDigits(g.cache) + " values/encoder token",
                "", "", "", "", false, 0 });
    }
    if (!r.states.empty()) {
        lines.push_back(
            bytesLine("SSM state (" + r.kvDtype.name + ") per sequence", r.statePerSequence, "whatever the context"));
        lines.push_back(bytesLine("SSM state at batch " + groupDigits(r.batch), r.stateBytes));
        for (const auto& g : r.states)
            lines.push_back({ "  " + g.path + ": " + groupDigits(g.layers) + (g.layers == 1 ? " layer" : " layers")
                    + " × " + groupDigits(g.elements) + " values/sequence",
                "", "", "", "", false, 0 });
    }
    if (r.compressed) {
        lines.push_back(bytesLine(kvLabel + " uncompressed, per token", r.kvUncompressedPerToken,
            "the per-head keys and values MLA's latent stands for"));
        lines.push_back(bytesLine(kvLabel + " uncompressed, at " + contextText, r.kvUncompressedBytes));
    }
    lines.push_back(bytesLine("training states (16 B/param)", r.training.total));
    lines.push_back(bytesLine("  per device, ZeRO-" + std::to_string(r.training.zeroStage) + " over "
            + groupDigits(r.training.devices) + (r.training.devices == 1 ? " device" : " devices"),
        r.training.perDevice, zeroText(r.training.zeroStage)));
    for (const auto& f : r.fits) {
        const std::string on = "on " + gbText(f.bytes) + ": ";
        lines.push_back(bytesLine(on + "inference at " + contextText, f.inference,
            f.inferenceFits ? "fits" : (f.weightsFit ? "does not fit" : "weights alone do not fit")));
        if (f.weightsFit) {
            lines.push_back(
                countLine(on + "largest context at batch " + groupDigits(r.batch), f.largestContext, "tokens",
                    f.largestContext != f.contextCap ? ""
                        : f.capIsP                   ? "the cap (P = " + groupDigits(f.contextCap) + ")"
                                                     : "the most tried (2^40): the design has no context length P"));
            lines.push_back(
                countLine(on + "largest batch at " + groupDigits(r.context) + " tokens", f.largestBatch, "sequences"));
        }
        if (f.trainingDevices)
            lines.push_back(countLine(on + "devices to train, ZeRO-" + std::to_string(f.trainingStage),
                *f.trainingDevices, "devices", "states only, no activations"));
        else
            lines.push_back({ on + "devices to train, ZeRO-" + std::to_string(f.trainingStage), "", "", "",
                "no number of such devices holds the states", false, 0 });
    }
    std::vector<std::string> notes { std::string("weights: ") + kWeightsConvention,
        std::string("KV cache: ") + kKvConvention, std::string("training: ") + kTrainingConvention,
        std::string("fits: ") + kFitConvention, kUnits };
    if (!r.cross.empty())
        notes.insert(notes.begin() + 2, std::string("cross-attention: ") + kCrossConvention);
    if (!r.states.empty())
        notes.insert(notes.begin() + 2, std::string("SSM state: ") + kStateConvention);
    return render(r.name + " — " + r.className, lines, notes, format);
}

Result<FlopsReport> flopsReport(
    const Counted& c, std::optional<Count> context, Count tokens, std::optional<Count> encoder)
{
    return flopsReport(c.design, c.evaluation, context, tokens, encoder);
}

Result<FlopsReport> flopsReport(const Design& design, const Evaluation& evaluation, std::optional<Count> context,
    Count tokens, std::optional<Count> encoder)
{
    FlopsReport r;
    r.name = design.name;
    r.className = design.className;
    auto ctx = defaultContext(design, evaluation, context);
    if (!ctx)
        return ctx.error();
    if (*ctx < 1)
        return Error { "--context", "must be at least 1" };
    if (tokens < 0)
        return Error { "--tokens", "must be at least 1" };
    if (encoder && *encoder < 1)
        return Error { "--encoder-context", "must be at least 1" };
    auto groups = attentionGroups(design, evaluation);
    if (!groups)
        return groups.error();
    r.attention = std::move(*groups);
    auto cross = crossAttentionGroups(design, evaluation);
    if (!cross)
        return cross.error();
    r.cross = std::move(*cross);
    auto f = flops(evaluation, r.attention, *ctx, tokens, r.cross, encoder.value_or(0));
    if (!f && f.error().where == "2·n_layer·n_enc·d_attn")
        return Error { encoder ? "--encoder-context" : "--context",
            "2·n_layer·n_enc·d_attn overflows 64 bits at " + groupDigits(encoder.value_or(*ctx)) + " tokens" };
    if (!f && f.error().where == "2·n_layer·n_ctx·d_attn")
        return Error { "--context", "2·n_layer·n_ctx·d_attn overflows 64 bits at " + groupDigits(*ctx) + " tokens" };
    if (!f)
        return f.error();
    r.flops = *f;
    return r;
}

std::string flopsOutput(const FlopsReport& r, Format format)
{
    const Flops& f = r.flops;
    if (format == Format::Json) {
        json j;
        j["name"] = r.name;
        j["class"] = r.className;
        j["context"] = f.context;
        j["parameters"] = f.parameters;
        j["non_embedding_parameters"] = f.nonEmbedding;
        j["active_only"] = f.sparse;
        json fw;
        fw["flops_per_token"] = f.forwardPerToken;
        fw["2N"] = f.weightTerm;
        fw["2·n_layer·n_ctx·d_attn"] = f.attentionTerm;
        fw["formula"] = r.cross.empty() ? std::string(kForwardFormula)
                                        : std::string(kForwardFormula) + " + " + kCrossFlopsFormula;
        json layers = json::array();
        for (const auto& g : r.attention) {
            json x;
            x["module"] = g.path;
            x["layers"] = g.layers;
            x["n_ctx"] = g.window > 0 ? std::min(f.context, g.window) : f.context;
            x["d_attn"] = g.dAttn;
            layers.push_back(x);
        }
        fw["attention"] = layers;
        if (!r.cross.empty()) {
            json cross = json::array();
            for (const auto& g : r.cross)
                cross.push_back({ { "module", g.path }, { "layers", g.layers }, { "n_enc", f.encoderContext },
                    { "d_attn", g.dAttn } });
            fw[kCrossFlopsFormula] = f.crossAttentionTerm;
            fw["cross_attention"] = cross;
            fw["cross_attention_convention"] = kCrossFlopsConvention;
        }
        fw["convention"] = kForwardConvention;
        j["forward"] = fw;
        json t;
        t["tokens"] = f.tokens;
        t["tokens_are_compute_optimal"] = !f.tokensGiven;
        // Beyond 64 bits for most models: the exact digits as a string, and a float beside them.
        t["flops"] = decimalText(f.trainingFlops);
        t["flops_float"] = approximate(f.trainingFlops);
        t["formula"] = kTrainingFlopsFormula;
        t["convention"] = kTrainingFlopsConvention;
        j["training"] = t;
        json opt;
        opt["tokens"] = f.optimalTokens;
        opt["formula"] = kOptimalFormula;
        opt["convention"] = kOptimalConvention;
        j["compute_optimal"] = opt;
        return j.dump(2) + "\n";
    }
    std::vector<Line> lines;
    lines.push_back(countLine("parameters", f.parameters, ""));
    lines.push_back(countLine(
        f.sparse ? "N (active non-embedding parameters)" : "N (non-embedding parameters)", f.nonEmbedding, ""));
    lines.push_back(countLine("forward FLOPs per token at " + groupDigits(f.context) + " tokens", f.forwardPerToken,
        "FLOPs",
        r.cross.empty() ? std::string(kForwardFormula) : std::string(kForwardFormula) + " + " + kCrossFlopsFormula));
    lines.push_back(countLine("  2N", f.weightTerm, "FLOPs"));
    lines.push_back(countLine("  2·n_layer·n_ctx·d_attn", f.attentionTerm, "FLOPs"));
    for (const auto& g : r.attention)
        lines.push_back({ "    " + g.path + ": " + groupDigits(g.layers) + " layers, n_ctx "
                + groupDigits(g.window > 0 ? std::min(f.context, g.window) : f.context) + ", d_attn "
                + groupDigits(g.dAttn),
            "", "", "", "", false, 0 });
    if (!r.cross.empty()) {
        lines.push_back(
            countLine(std::string("  ") + kCrossFlopsFormula + " (cross-attention)", f.crossAttentionTerm, "FLOPs"));
        for (const auto& g : r.cross)
            lines.push_back({ "    " + g.path + ": " + groupDigits(g.layers) + " layers, n_enc "
                    + groupDigits(f.encoderContext) + ", d_attn " + groupDigits(g.dAttn),
                "", "", "", "", false, 0 });
    }
    lines.push_back(
        countLine(f.tokensGiven ? "training tokens" : "training tokens (compute-optimal)", f.tokens, "tokens"));
    Line training { "training FLOPs", decimalText(f.trainingFlops), "FLOPs", "", kTrainingFlopsFormula, false, 0 };
    char approx[64];
    std::snprintf(approx, sizeof approx, "%.3g", approximate(f.trainingFlops));
    training.human = approx;
    lines.push_back(training);
    lines.push_back(countLine("compute-optimal tokens", f.optimalTokens, "tokens", kOptimalFormula));
    std::vector<std::string> notes { std::string("forward: ") + kForwardConvention,
        "training: Kaplan et al. 2020, forward and backward (3 × forward), the context term left out",
        std::string("compute-optimal: ") + kOptimalConvention };
    if (!r.cross.empty())
        notes.insert(notes.begin() + 1, std::string("cross-attention: ") + kCrossFlopsConvention);
    return render(r.name + " — " + r.className, lines, notes, format);
}

} // namespace paramscope::core
