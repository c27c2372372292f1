// SPDX-License-Identifier: MIT
#pragma once

// Shared by fuzz_safetensors and fuzz_gguf: what a tensor list read from any input must satisfy,
// and its match against small designs whose checkpoint names the seeds use (a GPT-2 and a
// Llama-style model with GQA, a gated MLP and experts, a gpt-oss whose seed stores its experts in
// MXFP4, and a Qwen3-VL-MoE whose seed stores them in the grouped-GEMM order transformers 4.57
// saved), so that matching runs on real names.

#include "fuzzutil.h"

#include "weights/verify.h"
#include "weights/verifyreport.h"

#include <nlohmann/json.hpp>

namespace paramscope::fuzz {

inline const std::vector<core::Counted>& weightDesigns()
{
    static const std::vector<core::Counted> designs = [] {
        std::vector<core::Counted> out;
        const char* configs[] = {
            R"({"model_type": "gpt2", "vocab_size": 8, "n_positions": 4, "n_embd": 4, "n_head": 2, "n_layer": 2})",
            R"({"model_type": "llama", "vocab_size": 8, "hidden_size": 4, "intermediate_size": 8,
                "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1,
                "max_position_embeddings": 16, "tie_word_embeddings": false})",
            R"({"model_type": "mixtral", "vocab_size": 8, "hidden_size": 4, "intermediate_size": 8,
                "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1,
                "num_local_experts": 2, "num_experts_per_tok": 1, "tie_word_embeddings": true})",
            R"({"model_type": "gpt_oss", "vocab_size": 8, "hidden_size": 32, "intermediate_size": 32,
                "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 4,
                "num_local_experts": 2, "num_experts_per_tok": 1, "layer_types": ["full_attention"],
                "sliding_window": 4, "tie_word_embeddings": false})",
            R"({"model_type": "qwen3_vl_moe", "tie_word_embeddings": false,
                "text_config": {"vocab_size": 16, "hidden_size": 8, "intermediate_size": 12, "num_hidden_layers": 2,
                  "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 4, "num_experts": 4,
                  "num_experts_per_tok": 2, "moe_intermediate_size": 3},
                "vision_config": {"depth": 1, "hidden_size": 4, "num_heads": 2, "intermediate_size": 6,
                  "patch_size": 2, "out_hidden_size": 8, "num_position_embeddings": 4,
                  "deepstack_visual_indexes": [0]}})",
        };
        for (const char* c : configs) {
            auto d = core::loadText(c, "config.json");
            require(d.ok(), "a fuzz design does not load");
            auto counted = core::count(std::move(*d));
            require(counted.ok(), "a fuzz design does not count");
            out.push_back(std::move(*counted));
        }
        return out;
    }();
    return designs;
}

inline void exerciseTensors(const core::TensorList& list)
{
    Count total = 0;
    for (const auto& t : list.tensors) {
        Count n = 1;
        for (Count d : t.shape) {
            require(d >= 0, t.name + ": a negative dimension was accepted");
            auto m = core::checkedMul(n, d);
            require(m.has_value(), t.name + ": a shape whose product overflows was accepted");
            n = *m;
        }
        require(n == t.count, t.name + ": the count is not the shape's product");
        require(t.bytes >= 0 && t.bytes <= list.fileBytes, t.name + ": more bytes than the file");
        auto s = core::checkedAdd(total, t.count);
        require(s.has_value(), "the total overflows, yet the list was accepted");
        total = *s;
    }
    require(total == list.totalValues(), "totalValues() differs from the sum");
    require(!core::inspectText(list).empty(), "an empty inspect report");
    const auto j = nlohmann::json::parse(core::inspectJson(list), nullptr, false);
    require(!j.is_discarded() && j["total_values"] == total, "inspect --json does not parse or has another total");

    for (const core::Counted& c : weightDesigns()) {
        const core::Verification v = core::verify(c.design, c.evaluation, list);
        require(v.nodes.size() == c.design.nodes().size(), "a check per node");
        require(v.matched >= 0 && v.matched <= v.fileValues, "matched more values than the file holds");
        require(!v.ok() || v.matched == v.formulaTotal, "ok() without every parameter matched");
        require(!v.ok() || v.nodes[0].ok(), "ok() with the root marked ✗");
        for (const auto& f : v.findings)
            require(!f.name.empty() && !f.text.empty() && f.tensors >= 0, "a finding without a name or text");
        require(!core::verifyText(c, v).empty(), "an empty verify report");
        const auto r = nlohmann::json::parse(core::verifyJson(c, v), nullptr, false);
        require(!r.is_discarded() && r["matched"] == v.matched, "verify --json does not parse");
    }
}

} // namespace paramscope::fuzz
