// SPDX-License-Identifier: MIT
// Checkpoint headers (safetensors, sharded indexes, GGUF) and their match to the design tree.
// Every file is written here, with sparse data sections; expected counts are derived by hand.
#include "clirun.h"
#include "testutil.h"
#include "weightsfiles.h"

#include "weights/checkpoint.h"
#include "weights/gguf.h"
#include "weights/safetensors.h"
#include "weights/verify.h"
#include "weights/verifyreport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace paramscope::core;
using namespace paramscope::test;

namespace {

/// GPT-2 small's tensors as openai-community/gpt2's model.safetensors lists them: no
/// "transformer." prefix, no lm_head (tied), a causal-mask buffer attn.bias per layer.
std::vector<TensorSpec> gpt2Tensors()
{
    std::vector<TensorSpec> t { { "wte.weight", "F32", { 50257, 768 } }, { "wpe.weight", "F32", { 1024, 768 } } };
    for (int l = 0; l < 12; ++l) {
        const std::string h = "h." + std::to_string(l) + ".";
        t.push_back({ h + "ln_1.weight", "F32", { 768 } });
        t.push_back({ h + "ln_1.bias", "F32", { 768 } });
        t.push_back({ h + "attn.bias", "F32", { 1, 1, 1024, 1024 } });
        t.push_back({ h + "attn.c_attn.weight", "F32", { 768, 2304 } }); // Conv1D: (in, out)
        t.push_back({ h + "attn.c_attn.bias", "F32", { 2304 } });
        t.push_back({ h + "attn.c_proj.weight", "F32", { 768, 768 } });
        t.push_back({ h + "attn.c_proj.bias", "F32", { 768 } });
        t.push_back({ h + "ln_2.weight", "F32", { 768 } });
        t.push_back({ h + "ln_2.bias", "F32", { 768 } });
        t.push_back({ h + "mlp.c_fc.weight", "F32", { 768, 3072 } });
        t.push_back({ h + "mlp.c_fc.bias", "F32", { 3072 } });
        t.push_back({ h + "mlp.c_proj.weight", "F32", { 3072, 768 } });
        t.push_back({ h + "mlp.c_proj.bias", "F32", { 768 } });
    }
    t.push_back({ "ln_f.weight", "F32", { 768 } });
    t.push_back({ "ln_f.bias", "F32", { 768 } });
    return t;
}

// GPT-2 small by hand: wte 50257·768 = 38,597,376; wpe 1024·768 = 786,432; per layer ln_1 and ln_2
// 2·1,536, c_attn 768·2304 + 2304 = 1,771,776, c_proj 768·768 + 768 = 590,592, c_fc 768·3072 + 3072 =
// 2,362,368, mlp.c_proj 3072·768 + 768 = 2,360,064: 7,087,872 per layer, 85,054,464 for 12; ln_f 1,536.
constexpr Count kGpt2Params = 38'597'376 + 786'432 + 12 * 7'087'872 + 1'536; // 124,439,808
constexpr Count kGpt2Masks = 12 * 1024 * 1024; // 12,582,912 buffer values

/// A small Llama-style config with GQA and a gated MLP.
const char* kLlamaConfig = R"({
  "architectures": ["LlamaForCausalLM"], "model_type": "llama",
  "vocab_size": 1000, "hidden_size": 256, "intermediate_size": 768,
  "num_hidden_layers": 3, "num_attention_heads": 8, "num_key_value_heads": 2,
  "max_position_embeddings": 2048, "tie_word_embeddings": false, "rms_norm_eps": 1e-5
})";
// By hand: D = 256/8 = 32; q and o 256·256 = 65,536 each, k and v 256·(2·32) = 16,384 each;
// gate, up, down 256·768 = 196,608 each; two RMSNorms 256 each: 754,176 per layer, 2,262,528 for
// three; embed_tokens and lm_head 1000·256 = 256,000 each; the final norm 256.
constexpr Count kLlamaParams = 3 * (2 * 65'536 + 2 * 16'384 + 3 * 196'608 + 512) + 2 * 256'000 + 256; // 2,774,784

std::vector<TensorSpec> llamaTensors(const std::string& dtype = "BF16")
{
    std::vector<TensorSpec> t { { "model.embed_tokens.weight", dtype, { 1000, 256 } } };
    for (int l = 0; l < 3; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        t.push_back({ p + "self_attn.q_proj.weight", dtype, { 256, 256 } });
        t.push_back({ p + "self_attn.k_proj.weight", dtype, { 64, 256 } });
        t.push_back({ p + "self_attn.v_proj.weight", dtype, { 64, 256 } });
        t.push_back({ p + "self_attn.o_proj.weight", dtype, { 256, 256 } });
        t.push_back({ p + "mlp.gate_proj.weight", dtype, { 768, 256 } });
        t.push_back({ p + "mlp.up_proj.weight", dtype, { 768, 256 } });
        t.push_back({ p + "mlp.down_proj.weight", dtype, { 256, 768 } });
        t.push_back({ p + "input_layernorm.weight", dtype, { 256 } });
        t.push_back({ p + "post_attention_layernorm.weight", dtype, { 256 } });
    }
    t.push_back({ "model.norm.weight", dtype, { 256 } });
    t.push_back({ "lm_head.weight", dtype, { 1000, 256 } });
    return t;
}

/// A small Gemma 4 text model with per-layer inputs whose last layer shares keys and values.
const char* kGemma4Config = R"({
  "architectures": ["Gemma4ForCausalLM"], "model_type": "gemma4_text",
  "vocab_size": 10, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 3,
  "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 4, "global_head_dim": 8,
  "layer_types": ["sliding_attention", "full_attention", "full_attention"],
  "hidden_size_per_layer_input": 2, "vocab_size_per_layer_input": 10, "num_kv_shared_layers": 1,
  "tie_word_embeddings": true
})";
// By hand: layer 0 (sliding, heads of 4): q_proj 2·4·8 = 64, k_proj and v_proj 1·4·8 = 32 each,
// o_proj 64, q_norm and k_norm 4 each: 200; layer 1 (full, heads of 8): q 128, k and v 64 each, o
// 128, norms 8 each: 400; layer 2 (full, sharing): q 128, q_norm 8, o 128: 264. Every layer: MLP
// 3·8·16 = 384, four norms 32, per-layer gate 8·2, projection 2·8 and norm 8: 40. Outside: embed_tokens
// 10·8 = 80, norm 8, embed_tokens_per_layer 10·(3·2) = 60, per_layer_model_projection 8·6 = 48, its
// norm 2.
constexpr Count kGemma4Params = 200 + 400 + 264 + 3 * (384 + 32 + 40) + 80 + 8 + 60 + 48 + 2; // 2,430

/// kGemma4Config's checkpoint as Gemma4ForCausalLM saves it: layer_scalar buffers, and the
/// sharing layer's k_proj, v_proj and k_norm stored although the class builds none.
std::vector<TensorSpec> gemma4Tensors()
{
    std::vector<TensorSpec> t { { "model.embed_tokens.weight", "BF16", { 10, 8 } } };
    for (int l = 0; l < 3; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        const std::int64_t hd = l == 0 ? 4 : 8;
        t.push_back({ p + "self_attn.q_proj.weight", "BF16", { 2 * hd, 8 } });
        t.push_back({ p + "self_attn.q_norm.weight", "BF16", { hd } });
        t.push_back({ p + "self_attn.k_proj.weight", "BF16", { hd, 8 } });
        t.push_back({ p + "self_attn.v_proj.weight", "BF16", { hd, 8 } });
        t.push_back({ p + "self_attn.k_norm.weight", "BF16", { hd } });
        t.push_back({ p + "self_attn.o_proj.weight", "BF16", { 8, 2 * hd } });
        t.push_back({ p + "mlp.gate_proj.weight", "BF16", { 16, 8 } });
        t.push_back({ p + "mlp.up_proj.weight", "BF16", { 16, 8 } });
        t.push_back({ p + "mlp.down_proj.weight", "BF16", { 8, 16 } });
        for (const char* n : { "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                 "post_feedforward_layernorm" })
            t.push_back({ p + n + ".weight", "BF16", { 8 } });
        t.push_back({ p + "per_layer_input_gate.weight", "BF16", { 2, 8 } });
        t.push_back({ p + "per_layer_projection.weight", "BF16", { 8, 2 } });
        t.push_back({ p + "post_per_layer_input_norm.weight", "BF16", { 8 } });
        t.push_back({ p + "layer_scalar", "BF16", { 1 } });
    }
    t.push_back({ "model.norm.weight", "BF16", { 8 } });
    t.push_back({ "model.embed_tokens_per_layer.weight", "BF16", { 10, 6 } });
    t.push_back({ "model.per_layer_model_projection.weight", "BF16", { 6, 8 } });
    t.push_back({ "model.per_layer_projection_norm.weight", "BF16", { 2 } });
    return t;
}

/// openai/gpt-oss-20b's tensors as its model.safetensors.index.json names them, in its order: the
/// experts in MXFP4 (U8 blocks [X, 2F, E/32, 16] and scales [X, 2F, E/32], down_proj likewise with
/// E and F swapped), everything else BF16. Check of the dtypes: these tensors take 13,761,264,768
/// bytes, the index's metadata.total_size.
std::vector<TensorSpec> gptOss20bTensors()
{
    std::vector<TensorSpec> t { { "model.embed_tokens.weight", "BF16", { 201088, 2880 } } };
    for (int l = 0; l < 24; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        t.push_back({ p + "input_layernorm.weight", "BF16", { 2880 } });
        t.push_back({ p + "self_attn.o_proj.bias", "BF16", { 2880 } });
        t.push_back({ p + "self_attn.o_proj.weight", "BF16", { 2880, 4096 } });
        t.push_back({ p + "self_attn.q_proj.bias", "BF16", { 4096 } });
        t.push_back({ p + "self_attn.k_proj.bias", "BF16", { 512 } });
        t.push_back({ p + "self_attn.v_proj.bias", "BF16", { 512 } });
        t.push_back({ p + "self_attn.q_proj.weight", "BF16", { 4096, 2880 } });
        t.push_back({ p + "self_attn.k_proj.weight", "BF16", { 512, 2880 } });
        t.push_back({ p + "self_attn.v_proj.weight", "BF16", { 512, 2880 } });
        t.push_back({ p + "self_attn.sinks", "BF16", { 64 } });
        t.push_back({ p + "mlp.router.bias", "BF16", { 32 } });
        t.push_back({ p + "mlp.router.weight", "BF16", { 32, 2880 } });
        t.push_back({ p + "mlp.experts.gate_up_proj_bias", "BF16", { 32, 5760 } });
        t.push_back({ p + "mlp.experts.gate_up_proj_blocks", "U8", { 32, 5760, 90, 16 } });
        t.push_back({ p + "mlp.experts.gate_up_proj_scales", "U8", { 32, 5760, 90 } });
        t.push_back({ p + "mlp.experts.down_proj_bias", "BF16", { 32, 2880 } });
        t.push_back({ p + "mlp.experts.down_proj_blocks", "U8", { 32, 2880, 90, 16 } });
        t.push_back({ p + "mlp.experts.down_proj_scales", "U8", { 32, 2880, 90 } });
        t.push_back({ p + "post_attention_layernorm.weight", "BF16", { 2880 } });
    }
    t.push_back({ "model.norm.weight", "BF16", { 2880 } });
    t.push_back({ "lm_head.weight", "BF16", { 201088, 2880 } });
    return t;
}

// gpt-oss-20b by hand, per layer: q_proj 4096·2880 + 4096 = 11,800,576, k_proj and v_proj 512·2880 +
// 512 = 1,475,072 each, o_proj 2880·4096 + 2880 = 11,799,360, sinks 64; router 32·2880 + 32 = 92,192;
// gate_up_proj blocks 32·5760·90·16 = 265,420,800 bytes of two values each = 530,841,600 (= 32·2880·5760),
// down_proj blocks 32·2880·90·16 = 132,710,400 bytes = 265,420,800 values (= 32·2880·2880), expert
// biases 32·(5760 + 2880) = 276,480, two norms 5,760: 823,186,976. 24 layers 19,756,487,424, plus
// embed_tokens and the untied lm_head 201088·2880 = 579,133,440 each and the norm 2,880:
// 20,914,757,184, the published total. The checkpoint stores every one of them separately (no tied
// weight, no fused copy): nothing to subtract.
constexpr Count kGptOss20bParams = 24 * Count(823'186'976) + 2 * Count(579'133'440) + 2'880;
constexpr Count kGptOss20bScales = 24 * Count(32 * 5760 * 90 + 32 * 2880 * 90); // 597,196,800 bytes

/// A small Qwen3-MoE: 4 experts of width Fx = 2 (2·Fx differs from E = 8, so the two orders of a
/// stacked gate_up_proj differ).
const char* kQwen3MoeConfig = R"({
  "architectures": ["Qwen3MoeForCausalLM"], "model_type": "qwen3_moe",
  "vocab_size": 16, "hidden_size": 8, "intermediate_size": 32, "moe_intermediate_size": 2,
  "num_experts": 4, "num_experts_per_tok": 2, "num_hidden_layers": 2, "num_attention_heads": 2,
  "num_key_value_heads": 1, "head_dim": 4, "decoder_sparse_step": 1, "mlp_only_layers": [],
  "tie_word_embeddings": false
})";
// By hand, per layer: q_proj 8·(2·4) = 64, k_proj and v_proj 8·4 = 32 each, o_proj 64, q_norm and
// k_norm 4 each: 200; router 8·4 = 32; 4 experts of gate, up and down 8·2 = 16 each: 192; two norms
// 16: 440. Two layers 880; embed_tokens and lm_head 16·8 = 128 each, the norm 8.
constexpr Count kQwen3MoeParams = 2 * 440 + 2 * 128 + 8; // 1,144

/// kQwen3MoeConfig's checkpoint, its experts per expert (transformers v4) or stacked (v5:
/// gate_up_proj [X, 2·Fx, E], down_proj [X, E, Fx]); @p gateUp gives the stacked gate_up_proj's shape.
std::vector<TensorSpec> qwen3MoeTensors(bool fused, std::vector<std::int64_t> gateUp = { 4, 4, 8 })
{
    std::vector<TensorSpec> t { { "model.embed_tokens.weight", "BF16", { 16, 8 } } };
    for (int l = 0; l < 2; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        t.push_back({ p + "self_attn.q_proj.weight", "BF16", { 8, 8 } });
        t.push_back({ p + "self_attn.k_proj.weight", "BF16", { 4, 8 } });
        t.push_back({ p + "self_attn.v_proj.weight", "BF16", { 4, 8 } });
        t.push_back({ p + "self_attn.o_proj.weight", "BF16", { 8, 8 } });
        t.push_back({ p + "self_attn.q_norm.weight", "BF16", { 4 } });
        t.push_back({ p + "self_attn.k_norm.weight", "BF16", { 4 } });
        t.push_back({ p + "mlp.gate.weight", "BF16", { 4, 8 } });
        if (fused) {
            t.push_back({ p + "mlp.experts.gate_up_proj", "BF16", gateUp });
            t.push_back({ p + "mlp.experts.down_proj", "BF16", { 4, 8, 2 } });
        } else {
            for (int x = 0; x < 4; ++x) {
                const std::string e = p + "mlp.experts." + std::to_string(x) + ".";
                t.push_back({ e + "gate_proj.weight", "BF16", { 2, 8 } });
                t.push_back({ e + "up_proj.weight", "BF16", { 2, 8 } });
                t.push_back({ e + "down_proj.weight", "BF16", { 8, 2 } });
            }
        }
        t.push_back({ p + "input_layernorm.weight", "BF16", { 8 } });
        t.push_back({ p + "post_attention_layernorm.weight", "BF16", { 8 } });
    }
    t.push_back({ "model.norm.weight", "BF16", { 8 } });
    t.push_back({ "lm_head.weight", "BF16", { 16, 8 } });
    return t;
}

/// A small Qwen3-VL-MoE (Qwen3VLMoeForConditionalGeneration): two text layers, each with four
/// experts, and a one-block vision tower with one deepstack merger. Widths differ (E 8, 2·Fx 6, Fx 3,
/// X 4) so that a swapped dimension shows.
const char* kQwen3VlMoeConfig = R"({
  "architectures": ["Qwen3VLMoeForConditionalGeneration"], "model_type": "qwen3_vl_moe",
  "tie_word_embeddings": false,
  "text_config": {"model_type": "qwen3_vl_moe_text", "vocab_size": 16, "hidden_size": 8,
    "intermediate_size": 12, "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1,
    "head_dim": 4, "attention_bias": false, "decoder_sparse_step": 1, "mlp_only_layers": [],
    "num_experts": 4, "num_experts_per_tok": 2, "moe_intermediate_size": 3},
  "vision_config": {"model_type": "qwen3_vl_moe", "depth": 1, "hidden_size": 4, "num_heads": 2,
    "intermediate_size": 6, "in_channels": 3, "patch_size": 2, "temporal_patch_size": 2,
    "spatial_merge_size": 2, "out_hidden_size": 8, "num_position_embeddings": 4,
    "deepstack_visual_indexes": [0]}
})";
// By hand. Vision (Ev 4, merged width Ev·Mv² = 16): patch_embed.proj 4·3·2·2·2 + 4 = 100; pos_embed
// 4·4 = 16; the block's norm1, norm2 2·4 each, qkv 4·12 + 12 = 60, proj 4·4 + 4 = 20, linear_fc1
// 4·6 + 6 = 30, linear_fc2 6·4 + 4 = 28: 154; merger norm 2·4, linear_fc1 16·16 + 16 = 272,
// linear_fc2 16·8 + 8 = 136: 416; the deepstack merger's norm 2·16 = 32 with the same two: 440.
// Vision 100 + 16 + 154 + 416 + 440 = 1,126. Text, per layer: q_proj and o_proj 8·8 = 64 each, k_proj
// and v_proj 8·4 = 32 each, q_norm and k_norm 4 each: 200; the router 4·8 = 32; gate_up_proj
// 4·6·8 = 192 and down_proj 4·8·3 = 96; two norms 8 each: 536, 1,072 for two. embed_tokens and lm_head
// 16·8 = 128 each, the norm 8.
constexpr Count kQwen3VlMoeParams = 1'126 + 2 * 536 + 2 * 128 + 8; // 2,462

/// kQwen3VlMoeConfig's checkpoint with the stacked experts in the shapes given (every layer).
std::vector<TensorSpec> qwen3VlMoeTensors(
    const std::vector<std::int64_t>& gateUp, const std::vector<std::int64_t>& down)
{
    const std::string v = "model.visual.";
    std::vector<TensorSpec> t { { v + "patch_embed.proj.weight", "BF16", { 4, 3, 2, 2, 2 } },
        { v + "patch_embed.proj.bias", "BF16", { 4 } }, { v + "pos_embed.weight", "BF16", { 4, 4 } } };
    for (const char* n : { "norm1", "norm2" })
        for (const char* w : { "weight", "bias" })
            t.push_back({ v + "blocks.0." + n + "." + w, "BF16", { 4 } });
    const std::vector<std::pair<std::string, std::vector<std::int64_t>>> linears { { "blocks.0.attn.qkv", { 12, 4 } },
        { "blocks.0.attn.proj", { 4, 4 } }, { "blocks.0.mlp.linear_fc1", { 6, 4 } },
        { "blocks.0.mlp.linear_fc2", { 4, 6 } }, { "merger.linear_fc1", { 16, 16 } },
        { "merger.linear_fc2", { 8, 16 } }, { "deepstack_merger_list.0.linear_fc1", { 16, 16 } },
        { "deepstack_merger_list.0.linear_fc2", { 8, 16 } } };
    for (const auto& [name, shape] : linears) {
        t.push_back({ v + name + ".weight", "BF16", shape });
        t.push_back({ v + name + ".bias", "BF16", { shape[0] } });
    }
    for (const char* w : { "weight", "bias" }) {
        t.push_back({ v + "merger.norm." + w, "BF16", { 4 } });
        t.push_back({ v + "deepstack_merger_list.0.norm." + w, "BF16", { 16 } });
    }
    t.push_back({ "model.language_model.embed_tokens.weight", "BF16", { 16, 8 } });
    for (int l = 0; l < 2; ++l) {
        const std::string p = "model.language_model.layers." + std::to_string(l) + ".";
        t.push_back({ p + "self_attn.q_proj.weight", "BF16", { 8, 8 } });
        t.push_back({ p + "self_attn.k_proj.weight", "BF16", { 4, 8 } });
        t.push_back({ p + "self_attn.v_proj.weight", "BF16", { 4, 8 } });
        t.push_back({ p + "self_attn.o_proj.weight", "BF16", { 8, 8 } });
        t.push_back({ p + "self_attn.q_norm.weight", "BF16", { 4 } });
        t.push_back({ p + "self_attn.k_norm.weight", "BF16", { 4 } });
        t.push_back({ p + "mlp.gate.weight", "BF16", { 4, 8 } });
        t.push_back({ p + "mlp.experts.gate_up_proj", "BF16", gateUp });
        t.push_back({ p + "mlp.experts.down_proj", "BF16", down });
        t.push_back({ p + "input_layernorm.weight", "BF16", { 8 } });
        t.push_back({ p + "post_attention_layernorm.weight", "BF16", { 8 } });
    }
    t.push_back({ "model.language_model.norm.weight", "BF16", { 8 } });
    t.push_back({ "lm_head.weight", "BF16", { 16, 8 } });
    return t;
}

bool writeText(const QString& path, const char* text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) > 0;
}

Counted counted(const std::string& source)
{
    auto d = loadSource(source);
    if (!d)
        qFatal("%s", d.error().text().c_str());
    auto c = count(std::move(*d));
    if (!c)
        qFatal("%s", c.error().text().c_str());
    return std::move(*c);
}

Verification check(const Counted& c, const std::string& weights)
{
    auto list = readCheckpoint(weights);
    if (!list)
        qFatal("%s", list.error().text().c_str());
    return verify(c.design, c.evaluation, *list);
}

const Finding* findingNamed(const Verification& v, Finding::Kind kind, const std::string& name)
{
    for (const auto& f : v.findings)
        if (f.kind == kind && f.name == name)
            return &f;
    return nullptr;
}

std::string problems(const Verification& v)
{
    std::string s;
    for (const auto& f : v.findings)
        if (f.isProblem())
            s += f.name + ": " + f.text + "\n";
    return s;
}

/// A small DeepSeek-V3: MLA with a query latent, one dense layer then one MoE layer with a shared
/// expert. E 16, H 2, Rq 8, Rkv 4, Dn 6, Dr 2, Dv 4, F 32, Fx 8, X 4, V 64.
const char* kDeepseekV3Config = R"({
  "architectures": ["DeepseekV3ForCausalLM"], "model_type": "deepseek_v3",
  "vocab_size": 64, "hidden_size": 16, "intermediate_size": 32, "moe_intermediate_size": 8,
  "num_hidden_layers": 2, "first_k_dense_replace": 1, "moe_layer_freq": 1,
  "num_attention_heads": 2, "num_key_value_heads": 2, "q_lora_rank": 8, "kv_lora_rank": 4,
  "qk_nope_head_dim": 6, "qk_rope_head_dim": 2, "v_head_dim": 4,
  "n_routed_experts": 4, "n_shared_experts": 1, "num_experts_per_tok": 2, "n_group": 1,
  "topk_group": 1, "num_nextn_predict_layers": 0, "tie_word_embeddings": false
})";

/// kDeepseekV3Config's model as llama.cpp's converter names and shapes it (F32, PyTorch order):
/// @p kvB "split" writes kv_b_proj as attn_k_b [H, Rkv, Dn] and attn_v_b [H, Dv, Rkv] (llama.cpp
/// since its MLA absorption), anything else as the older attn_kv_b; @p badKeys leaves layer 1's
/// attn_k_b untransposed; @p noValues leaves out layer 1's attn_v_b.
GgufWriter deepseekGguf(const std::string& kvB, bool badKeys = false, bool noValues = false)
{
    GgufWriter w;
    w.kvString("general.architecture", "deepseek2");
    auto f32 = [&](const std::string& name, const std::vector<std::int64_t>& shape) {
        std::int64_t n = 1;
        for (auto d : shape)
            n *= d;
        w.tensor(name, shape, 0, n * 4);
    };
    f32("token_embd.weight", { 64, 16 });
    for (int l = 0; l < 2; ++l) {
        const std::string b = "blk." + std::to_string(l) + ".";
        f32(b + "attn_norm.weight", { 16 });
        f32(b + "attn_q_a.weight", { 8, 16 });
        f32(b + "attn_q_a_norm.weight", { 8 });
        f32(b + "attn_q_b.weight", { 16, 8 });
        f32(b + "attn_kv_a_mqa.weight", { 6, 16 });
        f32(b + "attn_kv_a_norm.weight", { 4 });
        if (kvB == "split") {
            f32(b + "attn_k_b.weight",
                badKeys && l == 1 ? std::vector<std::int64_t> { 2, 6, 4 } : std::vector<std::int64_t> { 2, 4, 6 });
            if (!noValues || l != 1)
                f32(b + "attn_v_b.weight", { 2, 4, 4 });
        } else {
            f32(b + "attn_kv_b.weight", { 20, 4 });
        }
        f32(b + "attn_output.weight", { 16, 8 });
        f32(b + "ffn_norm.weight", { 16 });
        if (l == 0) {
            f32(b + "ffn_gate.weight", { 32, 16 });
            f32(b + "ffn_up.weight", { 32, 16 });
            f32(b + "ffn_down.weight", { 16, 32 });
            continue;
        }
        f32(b + "ffn_gate_inp.weight", { 4, 16 });
        f32(b + "exp_probs_b.bias", { 4 });
        f32(b + "ffn_gate_exps.weight", { 4, 8, 16 });
        f32(b + "ffn_up_exps.weight", { 4, 8, 16 });
        f32(b + "ffn_down_exps.weight", { 4, 16, 8 });
        f32(b + "ffn_gate_shexp.weight", { 8, 16 });
        f32(b + "ffn_up_shexp.weight", { 8, 16 });
        f32(b + "ffn_down_shexp.weight", { 16, 8 });
    }
    f32("output_norm.weight", { 16 });
    f32("output.weight", { 64, 16 });
    return w;
}

/// A small Phi-3: fused qkv_proj and gate_up_proj, grouped keys. E 16, H 2, D 8, K 1, F 24, V 64.
const char* kPhi3Config = R"({
  "architectures": ["Phi3ForCausalLM"], "model_type": "phi3", "vocab_size": 64,
  "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2, "num_attention_heads": 2,
  "num_key_value_heads": 1, "sliding_window": null, "tie_word_embeddings": false
})";

/// kPhi3Config's model as llama.cpp's converter names and shapes it (F32, PyTorch order), with
/// the LongRoPE factors a 128k Phi-3 adds; @p upOnly stores layer 1's ffn_up as the up half alone.
GgufWriter phi3Gguf(bool upOnly = false)
{
    GgufWriter w;
    w.kvString("general.architecture", "phi3");
    auto f32 = [&](const std::string& name, const std::vector<std::int64_t>& shape) {
        std::int64_t n = 1;
        for (auto d : shape)
            n *= d;
        w.tensor(name, shape, 0, n * 4);
    };
    f32("token_embd.weight", { 64, 16 });
    f32("rope_factors_long.weight", { 4 });
    f32("rope_factors_short.weight", { 4 });
    for (int l = 0; l < 2; ++l) {
        const std::string b = "blk." + std::to_string(l) + ".";
        f32(b + "attn_norm.weight", { 16 });
        f32(b + "attn_qkv.weight", { 32, 16 });
        f32(b + "attn_output.weight", { 16, 16 });
        f32(b + "ffn_norm.weight", { 16 });
        f32(b + "ffn_up.weight",
            upOnly && l == 1 ? std::vector<std::int64_t> { 24, 16 } : std::vector<std::int64_t> { 48, 16 });
        f32(b + "ffn_down.weight", { 16, 24 });
    }
    f32("output_norm.weight", { 16 });
    f32("output.weight", { 64, 16 });
    return w;
}

/// A small BERT encoder. E 16, 2 layers, H 2, F 32, V 64, P 32, T 2.
const char* kBertConfig = R"({
  "architectures": ["BertModel"], "model_type": "bert", "vocab_size": 64, "hidden_size": 16,
  "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 32,
  "max_position_embeddings": 32, "type_vocab_size": 2
})";

/// kBertConfig's model as llama.cpp's converter names and shapes it (F32, PyTorch order): no
/// pooler, which the converter drops; @p badNorm gives layer 0's attn_output_norm the width of F.
GgufWriter bertGguf(bool badNorm = false)
{
    GgufWriter w;
    w.kvString("general.architecture", "bert");
    auto f32 = [&](const std::string& name, const std::vector<std::int64_t>& shape) {
        std::int64_t n = 1;
        for (auto d : shape)
            n *= d;
        w.tensor(name, shape, 0, n * 4);
    };
    f32("token_embd.weight", { 64, 16 });
    f32("token_types.weight", { 2, 16 });
    f32("position_embd.weight", { 32, 16 });
    f32("token_embd_norm.weight", { 16 });
    f32("token_embd_norm.bias", { 16 });
    for (int l = 0; l < 2; ++l) {
        const std::string b = "blk." + std::to_string(l) + ".";
        for (const char* p : { "attn_q", "attn_k", "attn_v", "attn_output" }) {
            f32(b + p + ".weight", { 16, 16 });
            f32(b + p + ".bias", { 16 });
        }
        f32(b + "attn_output_norm.weight", { badNorm && l == 0 ? 32 : 16 });
        f32(b + "attn_output_norm.bias", { 16 });
        f32(b + "ffn_up.weight", { 32, 16 });
        f32(b + "ffn_up.bias", { 32 });
        f32(b + "ffn_down.weight", { 16, 32 });
        f32(b + "ffn_down.bias", { 16 });
        f32(b + "layer_output_norm.weight", { 16 });
        f32(b + "layer_output_norm.bias", { 16 });
    }
    return w;
}

/// A Llama-style GGUF of kLlamaConfig's model, as llama.cpp's converter names and shapes it.
GgufWriter llamaGguf(const std::string& reshape = {})
{
    GgufWriter w(3, 64);
    w.kvString("general.architecture", "llama");
    w.kvU32("general.alignment", 64);
    w.kvU32("llama.block_count", 3);
    w.kvU32("llama.embedding_length", 256);
    w.kvU32("llama.attention.head_count", 8);
    w.kvU32("llama.attention.head_count_kv", 2);
    w.kvU32("llama.feed_forward_length", 768);
    std::vector<std::string> tokens;
    for (int i = 0; i < 1000; ++i)
        tokens.push_back("tok" + std::to_string(i));
    w.kvStrings("tokenizer.ggml.tokens", tokens);
    QByteArray f;
    float base = 10000.0f;
    f.append(reinterpret_cast<const char*>(&base), 4);
    w.kv("llama.rope.freq_base", GgufValue::F32, f);
    // ggml types: F32 0, F16 1, Q8_0 8 (32 values in 34 bytes), Q4_K 12 (256 in 144), Q6_K 14 (256 in 210).
    auto bytes = [](std::int64_t values, int block, int size) { return values / block * size; };
    w.tensor("token_embd.weight", { 1000, 256 }, 8, bytes(256'000, 32, 34));
    for (int l = 0; l < 3; ++l) {
        const std::string b = "blk." + std::to_string(l) + ".";
        w.tensor(b + "attn_norm.weight", { 256 }, 0, 256 * 4);
        w.tensor(b + "attn_q.weight", { 256, 256 }, 1, 65'536 * 2);
        w.tensor(b + "attn_k.weight",
            reshape == b + "attn_k.weight" ? std::vector<std::int64_t> { 256, 64 }
                                           : std::vector<std::int64_t> { 64, 256 },
            1, 16'384 * 2);
        w.tensor(b + "attn_v.weight", { 64, 256 }, 1, 16'384 * 2);
        w.tensor(b + "attn_output.weight", { 256, 256 }, 1, 65'536 * 2);
        w.tensor(b + "ffn_norm.weight", { 256 }, 0, 256 * 4);
        w.tensor(b + "ffn_gate.weight", { 768, 256 }, 12, bytes(196'608, 256, 144));
        w.tensor(b + "ffn_up.weight", { 768, 256 }, 12, bytes(196'608, 256, 144));
        w.tensor(b + "ffn_down.weight", { 256, 768 }, 14, bytes(196'608, 256, 210));
    }
    w.tensor("output_norm.weight", { 256 }, 0, 256 * 4);
    w.tensor("output.weight", { 1000, 256 }, 14, bytes(256'000, 256, 210));
    return w;
}

} // namespace

class TestWeights : public QObject {
    Q_OBJECT
private slots:
    void gpt2Safetensors()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("model.safetensors"));
        QVERIFY(writeSafetensors(file, gpt2Tensors(), { { "format", "pt" } }));
        auto list = readSafetensors(file.toStdString());
        QVERIFY2(list.ok(), list.ok() ? "" : list.error().text().c_str());
        QCOMPARE(list->tensors.size(), std::size_t(2 + 12 * 13 + 2));
        QCOMPARE(list->totalValues(), Count(137'022'720));
        QCOMPARE(list->totalValues(), kGpt2Params + kGpt2Masks);
        QCOMPARE(list->metadata.at("format"), std::string("pt"));
        // Sparse: the data section has its real size (4 bytes per value).
        QVERIFY(list->fileBytes > Count(137'022'720) * 4);

        const Counted gpt2 = counted("gpt2");
        const Verification v = verify(gpt2.design, gpt2.evaluation, *list);
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.formulaTotal, kGpt2Params);
        QCOMPARE(v.matched, kGpt2Params);
        QCOMPARE(v.fileValues, Count(137'022'720));
        const Finding* masks = findingNamed(v, Finding::Kind::Buffer, "h.*.attn.bias");
        QVERIFY(masks);
        QCOMPARE(masks->tensors, Count(12));
        QCOMPARE(masks->values, kGpt2Masks);
        // Per module: the formula and the stored count agree everywhere; c_attn is 12 copies.
        const Module* cAttn = gpt2.design.find("transformer.h.*.attn.c_attn");
        QVERIFY(cAttn);
        const NodeCheck& c = v.nodes[static_cast<std::size_t>(cAttn->index)];
        QCOMPARE(c.copies, Count(12));
        QCOMPARE(c.formula, Count(12 * 1'771'776));
        QCOMPARE(c.stored, c.formula);

        const std::string text = verifyText(gpt2, v);
        QVERIFY2(text.find("124,439,808") != std::string::npos, text.c_str());
        QVERIFY2(text.find("12 × h.*.attn.bias (12,582,912 values)") != std::string::npos, text.c_str());
        const auto j = nlohmann::json::parse(verifyJson(gpt2, v));
        QCOMPARE(j["matched"].get<Count>(), kGpt2Params);
        QCOMPARE(j["ok"].get<bool>(), true);
        QCOMPARE(j["explained"][0]["values"].get<Count>(), kGpt2Masks);
    }

    void gpt2Broken_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("named");
        // Named as the file names its tensors (without GPT-2's "transformer." prefix).
        QTest::newRow("missing") << "drop h.5.mlp.c_fc.weight" << int(Finding::Kind::Missing) << "h.5.mlp.c_fc.weight";
        QTest::newRow("reshaped") << "reshape h.3.attn.c_attn.weight" << int(Finding::Kind::WrongShape)
                                  << "h.3.attn.c_attn.weight";
        QTest::newRow("unexpected") << "add h.2.attn.extra.weight" << int(Finding::Kind::Unexpected)
                                    << "h.2.attn.extra.weight";
        QTest::newRow("bias the class lacks")
            << "add h.0.ln_1.scale" << int(Finding::Kind::Unexpected) << "h.0.ln_1.scale";
    }
    void gpt2Broken()
    {
        QFETCH(QString, change);
        QFETCH(int, kind);
        QFETCH(QString, named);
        auto tensors = gpt2Tensors();
        const std::string target = change.section(QLatin1Char(' '), 1).toStdString();
        if (change.startsWith(QStringLiteral("drop")))
            std::erase_if(tensors, [&](const TensorSpec& t) { return t.name == target; });
        else if (change.startsWith(QStringLiteral("reshape")))
            for (auto& t : tensors)
                if (t.name == target)
                    t.shape = { 2304, 768 }; // Linear's order, not Conv1D's
        if (change.startsWith(QStringLiteral("add")))
            tensors.push_back({ target, "F32", { 768 } });
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("model.safetensors"));
        QVERIFY(writeSafetensors(file, tensors));
        const Counted gpt2 = counted("gpt2");
        const Verification v = check(gpt2, file.toStdString());
        QVERIFY(!v.ok());
        // The module holding a missing or reshaped tensor is marked; the root too (also for a
        // tensor the class has no place for).
        QVERIFY(!v.nodes[0].ok());
        bool found = false;
        for (const auto& f : v.findings)
            found = found || (f.isProblem() && int(f.kind) == kind && f.name == named.toStdString());
        QVERIFY2(found, problems(v).c_str());
        const std::string text = verifyText(gpt2, v);
        QVERIFY2(text.find(named.toStdString()) != std::string::npos, text.c_str());
        if (kind == int(Finding::Kind::Missing)) {
            QCOMPARE(v.matched, kGpt2Params - 768 * 3072);
            // Only the one copy is missing: the other eleven c_fc weights match.
            const Module* fc = gpt2.design.find("transformer.h.*.mlp.c_fc");
            QVERIFY(!v.nodes[static_cast<std::size_t>(fc->index)].ok());
            QCOMPARE(v.problemCount(), Count(1));
        }
    }

    void gqaGated()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kLlamaConfig));
        auto tensors = llamaTensors();
        // Rotary caches of older checkpoints, and FP8 scales, are explained, not counted.
        tensors.push_back({ "model.layers.0.self_attn.rotary_emb.inv_freq", "F32", { 16 } });
        tensors.push_back({ "model.layers.1.mlp.down_proj.weight_scale_inv", "F32", { 2, 6 } });
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), tensors));
        const Counted llama = counted(dir.path().toStdString());
        QCOMPARE(llama.evaluation.total, kLlamaParams);
        const Verification v = check(llama, dir.path().toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.matched, kLlamaParams);
        QVERIFY(findingNamed(v, Finding::Kind::Buffer, "model.layers.*.self_attn.rotary_emb.inv_freq"));
        const Finding* scale
            = findingNamed(v, Finding::Kind::QuantExtra, "model.layers.*.mlp.down_proj.weight_scale_inv");
        QVERIFY(scale);
        QCOMPARE(scale->values, Count(12));
        QCOMPARE(v.dtypes.front().dtype, std::string("BF16"));
        QCOMPARE(v.dtypes.front().bytes, kLlamaParams * 2);
    }

    void layerBeyondTheClass()
    {
        // DeepSeek-V3 stores its multi-token-prediction module as layer 61 of 61: the class does
        // not build it. The same shape of problem on a small model: a fourth layer of three.
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kLlamaConfig));
        auto tensors = llamaTensors();
        tensors.push_back({ "model.layers.3.input_layernorm.weight", "BF16", { 256 } });
        tensors.push_back({ "model.layers.3.eh_proj.weight", "BF16", { 256, 512 } });
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), tensors));
        const Counted llama = counted(dir.path().toStdString());
        const Verification v = check(llama, dir.path().toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        const Finding* extra = findingNamed(v, Finding::Kind::NotBuilt, "model.layers.3");
        QVERIFY(extra);
        QCOMPARE(extra->tensors, Count(2));
        QCOMPARE(extra->values, Count(256 + 256 * 512));
    }

    void gemma4SharingLayer()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kGemma4Config));
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), gemma4Tensors()));
        const Counted gemma = counted(dir.path().toStdString());
        QCOMPARE(gemma.evaluation.total, kGemma4Params);
        const Verification v = check(gemma, dir.path().toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.matched, kGemma4Params);
        const Finding* scalars = findingNamed(v, Finding::Kind::Buffer, "model.layers.*.layer_scalar");
        QVERIFY(scalars);
        QCOMPARE(scalars->tensors, Count(3));
        // The sharing layer's keys and values: k_proj and v_proj 8·8 each, k_norm 8.
        Count dropped = 0, tensors = 0;
        for (const auto& f : v.findings)
            if (f.kind == Finding::Kind::NotBuilt) {
                dropped += f.values;
                tensors += f.tensors;
                QVERIFY2(f.name.starts_with("model.layers.*.self_attn."), f.name.c_str());
            }
        QCOMPARE(tensors, Count(3));
        QCOMPARE(dropped, Count(64 + 64 + 8));
        // Elsewhere a missing projection stays a problem: layer 1's k_proj is the class's own.
        auto broken = gemma4Tensors();
        std::erase_if(broken, [](const TensorSpec& t) { return t.name == "model.layers.1.self_attn.k_proj.weight"; });
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), broken));
        QVERIFY(!check(gemma, dir.path().toStdString()).ok());
    }

    void gptOssMxfp4()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("model.safetensors"));
        QVERIFY(writeSafetensors(file, gptOss20bTensors()));
        const Counted oss = counted(dataPath("hf-extra/openai__gpt-oss-20b.json"));
        QCOMPARE(oss.evaluation.total, Count(20'914'757'184));
        QCOMPARE(kGptOss20bParams, Count(20'914'757'184));
        const Verification v = check(oss, file.toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.matched, kGptOss20bParams);
        QCOMPARE(v.fileTensors, Count(1 + 24 * 19 + 2));
        // The scales are explained, one byte (value) per block of 32.
        const Finding* scales
            = findingNamed(v, Finding::Kind::QuantExtra, "model.layers.*.mlp.experts.gate_up_proj_scales");
        QVERIFY(scales);
        QCOMPARE(scales->tensors, Count(24));
        QCOMPARE(scales->values, 24 * Count(32 * 5760 * 90));
        QVERIFY(findingNamed(v, Finding::Kind::QuantExtra, "model.layers.*.mlp.experts.down_proj_scales"));
        // Every value the file holds: the parameters and the scales.
        QCOMPARE(v.fileValues, kGptOss20bParams + kGptOss20bScales);
        // The experts' module: 32 copies per layer, all stored.
        const Module* gateUp = oss.design.find("model.layers.*.mlp.experts.gate_up_proj");
        QVERIFY(gateUp);
        const NodeCheck& c = v.nodes[static_cast<std::size_t>(gateUp->index)];
        QCOMPARE(c.formula, 24 * Count(32 * 2880 * 5760));
        QCOMPARE(c.stored, c.formula);
        // Bytes per dtype: the MXFP4 pairs as one format of 4.25 bits per value (16 bytes and a
        // scale per 32 values), the rest BF16; together the index's total_size.
        Count bytes = 0;
        bool mxfp4 = false;
        for (const auto& d : v.dtypes) {
            bytes += d.bytes;
            if (d.dtype == "MXFP4") {
                mxfp4 = true;
                QCOMPARE(d.tensors, Count(4 * 24));
                QCOMPARE(d.values, 24 * Count(32 * 2880 * 5760 + 32 * 2880 * 2880));
                QCOMPARE(d.bytes, 24 * Count(32 * 5760 * 90 * 17 + 32 * 2880 * 90 * 17));
                QCOMPARE(d.bitsPerWeight, 4.25);
            }
            QVERIFY2(d.dtype == "MXFP4" || d.dtype == "BF16", d.dtype.c_str());
        }
        QVERIFY(mxfp4);
        QCOMPARE(bytes, Count(13'761'264'768));
        const std::string text = verifyText(oss, v);
        QVERIFY2(
            text.find("all 20,914,757,184 parameters of the class are in the file") != std::string::npos, text.c_str());
        // inspect: the stored elements (bytes for the blocks), and the values they hold: the
        // parameters and the scales, 20,914,757,184 + 597,196,800.
        auto list = readCheckpoint(file.toStdString());
        QVERIFY(list.ok());
        const std::string listing = inspectText(*list);
        QVERIFY2(listing.find("(21,511,953,984 with the MXFP4 blocks' two values per byte)") != std::string::npos,
            listing.c_str());
    }

    void gptOssMxfp4Broken_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("named");
        QTest::newRow("scales missing") << "drop model.layers.7.mlp.experts.down_proj_scales"
                                        << int(Finding::Kind::Missing) << "model.layers.7.mlp.experts.down_proj_scales";
        QTest::newRow("blocks missing") << "drop model.layers.3.mlp.experts.gate_up_proj_blocks"
                                        << int(Finding::Kind::Missing)
                                        << "model.layers.3.mlp.experts.gate_up_proj_blocks";
        // Unpacked [32, 2880, 5760]: the class's order, not the blocks' [out, in].
        QTest::newRow("blocks reshaped") << "reshape model.layers.5.mlp.experts.gate_up_proj_blocks"
                                         << int(Finding::Kind::WrongShape)
                                         << "model.layers.5.mlp.experts.gate_up_proj_blocks";
    }
    void gptOssMxfp4Broken()
    {
        QFETCH(QString, change);
        QFETCH(int, kind);
        QFETCH(QString, named);
        auto tensors = gptOss20bTensors();
        const std::string target = change.section(QLatin1Char(' '), 1).toStdString();
        if (change.startsWith(QStringLiteral("drop")))
            std::erase_if(tensors, [&](const TensorSpec& t) { return t.name == target; });
        for (auto& t : tensors)
            if (t.name == target) {
                t.shape = { 32, 2880, 180, 16 };
                for (auto& s : tensors)
                    if (s.name == "model.layers.5.mlp.experts.gate_up_proj_scales")
                        s.shape = { 32, 2880, 180 };
            }
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("model.safetensors"));
        QVERIFY(writeSafetensors(file, tensors));
        const Counted oss = counted(dataPath("hf-extra/openai__gpt-oss-20b.json"));
        const Verification v = check(oss, file.toStdString());
        QVERIFY(!v.ok());
        QVERIFY(v.matched < kGptOss20bParams);
        bool found = false;
        for (const auto& f : v.findings)
            found = found || (f.isProblem() && int(f.kind) == kind && f.name == named.toStdString());
        QVERIFY2(found, problems(v).c_str());
        QVERIFY(!v.nodes[0].ok());
    }

    void fusedExperts_data()
    {
        QTest::addColumn<bool>("fused");
        QTest::newRow("per expert (v4)") << false;
        QTest::newRow("stacked (v5)") << true;
    }
    void fusedExperts()
    {
        QFETCH(bool, fused);
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kQwen3MoeConfig));
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), qwen3MoeTensors(fused)));
        const Counted qwen = counted(dir.path().toStdString());
        QCOMPARE(qwen.evaluation.total, kQwen3MoeParams);
        const Verification v = check(qwen, dir.path().toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.matched, kQwen3MoeParams);
        QCOMPARE(v.fileValues, kQwen3MoeParams);
        // gate_up_proj stands for gate_proj and up_proj of every expert: half each.
        for (const char* path : { "model.layers.*.mlp.experts.*.gate_proj", "model.layers.*.mlp.experts.*.up_proj",
                 "model.layers.*.mlp.experts.*.down_proj" }) {
            const Module* m = qwen.design.find(path);
            QVERIFY2(m, path);
            const NodeCheck& c = v.nodes[static_cast<std::size_t>(m->index)];
            QCOMPARE(c.formula, Count(2 * 4 * 16));
            QCOMPARE(c.stored, c.formula);
        }
    }

    void fusedExpertsBroken()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kQwen3MoeConfig));
        const Counted qwen = counted(dir.filePath(QStringLiteral("config.json")).toStdString());
        // [X, E, 2·Fx]: gpt-oss's order, not Qwen3-MoE's.
        QVERIFY(
            writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), qwen3MoeTensors(true, { 4, 8, 4 })));
        Verification v = check(qwen, dir.path().toStdString());
        QVERIFY(!v.ok());
        QVERIFY2(
            findingNamed(v, Finding::Kind::WrongShape, "model.layers.0.mlp.experts.gate_up_proj"), problems(v).c_str());
        QCOMPARE(v.matched, kQwen3MoeParams - 2 * 4 * 32);
        // A layer without its stacked down_proj: each expert's down_proj is named missing.
        auto tensors = qwen3MoeTensors(true);
        std::erase_if(tensors, [](const TensorSpec& t) { return t.name == "model.layers.1.mlp.experts.down_proj"; });
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), tensors));
        v = check(qwen, dir.path().toStdString());
        QVERIFY(!v.ok());
        QVERIFY2(findingNamed(v, Finding::Kind::Missing, "model.layers.1.mlp.experts.3.down_proj.weight"),
            problems(v).c_str());
        // Stored both ways: the second copy of the values is named.
        tensors = qwen3MoeTensors(true);
        for (const auto& t : qwen3MoeTensors(false))
            if (t.name.find(".experts.") != std::string::npos)
                tensors.push_back(t);
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), tensors));
        v = check(qwen, dir.path().toStdString());
        QVERIFY(!v.ok());
        bool again = false;
        for (const auto& f : v.findings)
            again = again || (f.isProblem() && f.text.find("stores again") != std::string::npos);
        QVERIFY2(again, problems(v).c_str());
    }

    void fusedExpertsMixtralV5()
    {
        // transformers v5 saves Mixtral's block_sparse_moe as mlp, its experts' w1 and w3 stacked
        // into gate_up_proj [X, 2F, E] and w2 into down_proj [X, E, F].
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), R"({
          "architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "vocab_size": 16,
          "hidden_size": 8, "intermediate_size": 2, "num_hidden_layers": 1, "num_attention_heads": 2,
          "num_key_value_heads": 1, "num_local_experts": 2, "num_experts_per_tok": 1,
          "tie_word_embeddings": false})"));
        // By hand: q_proj and o_proj 8·8 = 64 each, k_proj and v_proj 8·4 = 32 each; the router 8·2 =
        // 16; 2 experts of w1, w2, w3 8·2 = 16 each: 96; two norms 16; embed_tokens and lm_head 16·8 =
        // 128 each, the norm 8.
        constexpr Count kParams = 2 * 64 + 2 * 32 + 16 + 96 + 16 + 2 * 128 + 8; // 584
        const std::vector<TensorSpec> tensors { { "model.embed_tokens.weight", "BF16", { 16, 8 } },
            { "model.layers.0.self_attn.q_proj.weight", "BF16", { 8, 8 } },
            { "model.layers.0.self_attn.k_proj.weight", "BF16", { 4, 8 } },
            { "model.layers.0.self_attn.v_proj.weight", "BF16", { 4, 8 } },
            { "model.layers.0.self_attn.o_proj.weight", "BF16", { 8, 8 } },
            { "model.layers.0.mlp.gate.weight", "BF16", { 2, 8 } },
            { "model.layers.0.mlp.experts.gate_up_proj", "BF16", { 2, 4, 8 } },
            { "model.layers.0.mlp.experts.down_proj", "BF16", { 2, 8, 2 } },
            { "model.layers.0.input_layernorm.weight", "BF16", { 8 } },
            { "model.layers.0.post_attention_layernorm.weight", "BF16", { 8 } }, { "model.norm.weight", "BF16", { 8 } },
            { "lm_head.weight", "BF16", { 16, 8 } } };
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), tensors));
        const Counted mixtral = counted(dir.path().toStdString());
        QCOMPARE(mixtral.evaluation.total, kParams);
        const Verification v = check(mixtral, dir.path().toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.matched, kParams);
    }

    void qwen3VlMoeExperts_data()
    {
        QTest::addColumn<QList<qint64>>("gateUp");
        QTest::addColumn<QList<qint64>>("down");
        // transformers v5's own layout, [X, 2·Fx, E] and [X, E, Fx], and the grouped-GEMM layout
        // transformers 4.57 saved (Qwen/Qwen3-VL-30B-A3B-Instruct's files), [X, E, 2·Fx] and
        // [X, Fx, E], which v5's loader transposes (Transpose(1, 2) for qwen3_vl_moe).
        QTest::newRow("v5") << QList<qint64> { 4, 6, 8 } << QList<qint64> { 4, 8, 3 };
        QTest::newRow("grouped GEMM (4.57)") << QList<qint64> { 4, 8, 6 } << QList<qint64> { 4, 3, 8 };
    }
    void qwen3VlMoeExperts()
    {
        QFETCH(QList<qint64>, gateUp);
        QFETCH(QList<qint64>, down);
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kQwen3VlMoeConfig));
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")),
            qwen3VlMoeTensors({ gateUp.begin(), gateUp.end() }, { down.begin(), down.end() })));
        const Counted qwen = counted(dir.path().toStdString());
        QCOMPARE(qwen.evaluation.total, kQwen3VlMoeParams);
        const Verification v = check(qwen, dir.path().toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.matched, kQwen3VlMoeParams);
        QCOMPARE(v.fileValues, kQwen3VlMoeParams);
        // Each stacked tensor stands for every expert of its layer.
        const Module* m = qwen.design.find("model.language_model.layers.*.mlp.experts.gate_up_proj");
        QVERIFY(m);
        const NodeCheck& c = v.nodes[static_cast<std::size_t>(m->index)];
        QCOMPARE(c.formula, Count(2 * 192));
        QCOMPARE(c.stored, c.formula);
    }

    void qwen3VlMoeExpertsBroken_data()
    {
        QTest::addColumn<QList<qint64>>("gateUp");
        QTest::addColumn<QList<qint64>>("down");
        QTest::addColumn<QString>("named");
        // A row too many, in either order: only the two exact layouts pass.
        QTest::newRow("[X, 2Fx+1, E]") << QList<qint64> { 4, 7, 8 } << QList<qint64> { 4, 8, 3 }
                                       << "model.language_model.layers.0.mlp.experts.gate_up_proj";
        QTest::newRow("[X, E, 2Fx+1]") << QList<qint64> { 4, 8, 7 } << QList<qint64> { 4, 3, 8 }
                                       << "model.language_model.layers.0.mlp.experts.gate_up_proj";
        // The experts first moved behind the widths: not a swap of the last two.
        QTest::newRow("[E, Fx, X]") << QList<qint64> { 4, 6, 8 } << QList<qint64> { 8, 3, 4 }
                                    << "model.language_model.layers.0.mlp.experts.down_proj";
    }
    void qwen3VlMoeExpertsBroken()
    {
        QFETCH(QList<qint64>, gateUp);
        QFETCH(QList<qint64>, down);
        QFETCH(QString, named);
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kQwen3VlMoeConfig));
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")),
            qwen3VlMoeTensors({ gateUp.begin(), gateUp.end() }, { down.begin(), down.end() })));
        const Counted qwen = counted(dir.path().toStdString());
        const Verification v = check(qwen, dir.path().toStdString());
        QVERIFY(!v.ok());
        QVERIFY2(findingNamed(v, Finding::Kind::WrongShape, named.toStdString()), problems(v).c_str());
        QVERIFY(v.matched < kQwen3VlMoeParams);
    }

    void gemma4MoeExpertsNotSwapped()
    {
        // Gemma 4 also holds its experts stacked in v5's order, [X, 2·Fx, E] and [X, E, Fx], but its
        // loader transposes nothing: the grouped-GEMM order that passes for Qwen3-VL-MoE fails here.
        QByteArray config(kGemma4Config);
        config.replace("\"tie_word_embeddings\": true",
            "\"tie_word_embeddings\": true, \"enable_moe_block\": true, \"num_experts\": 2, \"top_k_experts\": 1, "
            "\"moe_intermediate_size\": 3");
        // By hand, per layer besides kGemma4Params: router.proj 8·2 = 16, its scale 8 and
        // per_expert_scale 2; gate_up_proj 2·6·8 = 96, down_proj 2·8·3 = 48; three norms 8 each.
        constexpr Count kParams = kGemma4Params + 3 * (16 + 8 + 2 + 96 + 48 + 24); // 3,012
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), config.constData()));
        const Counted gemma = counted(dir.path().toStdString());
        QCOMPARE(gemma.evaluation.total, kParams);
        for (bool swapped : { false, true }) {
            auto tensors = gemma4Tensors();
            for (int l = 0; l < 3; ++l) {
                const std::string p = "model.layers." + std::to_string(l) + ".";
                tensors.push_back({ p + "router.proj.weight", "BF16", { 2, 8 } });
                tensors.push_back({ p + "router.scale", "BF16", { 8 } });
                tensors.push_back({ p + "router.per_expert_scale", "BF16", { 2 } });
                tensors.push_back({ p + "experts.gate_up_proj", "BF16",
                    swapped ? std::vector<std::int64_t> { 2, 8, 6 } : std::vector<std::int64_t> { 2, 6, 8 } });
                tensors.push_back({ p + "experts.down_proj", "BF16",
                    swapped ? std::vector<std::int64_t> { 2, 3, 8 } : std::vector<std::int64_t> { 2, 8, 3 } });
                for (const char* n :
                    { "post_feedforward_layernorm_1", "post_feedforward_layernorm_2", "pre_feedforward_layernorm_2" })
                    tensors.push_back({ p + n + ".weight", "BF16", { 8 } });
            }
            QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), tensors));
            const Verification v = check(gemma, dir.path().toStdString());
            if (!swapped) {
                QVERIFY2(v.ok(), problems(v).c_str());
                QCOMPARE(v.matched, kParams);
                continue;
            }
            QVERIFY(!v.ok());
            QVERIFY2(
                findingNamed(v, Finding::Kind::WrongShape, "model.layers.0.experts.gate_up_proj"), problems(v).c_str());
            QVERIFY2(
                findingNamed(v, Finding::Kind::WrongShape, "model.layers.2.experts.down_proj"), problems(v).c_str());
            QCOMPARE(v.matched, kParams - 3 * (96 + 48));
        }
    }

    void qwen25VlNames_data()
    {
        QTest::addColumn<bool>("legacy");
        // Qwen/Qwen2.5-VL-*'s files, written before transformers v4.52, name the modules visual.* and
        // model.layers.*; files written since name them as the class does, model.visual.* and
        // model.language_model.layers.*.
        QTest::newRow("before v4.52") << true;
        QTest::newRow("since v4.52") << false;
    }
    void qwen25VlNames()
    {
        QFETCH(bool, legacy);
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), R"({
          "architectures": ["Qwen2_5_VLForConditionalGeneration"], "model_type": "qwen2_5_vl",
          "tie_word_embeddings": false,
          "text_config": {"model_type": "qwen2_5_vl_text", "vocab_size": 16, "hidden_size": 8,
            "intermediate_size": 6, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1},
          "vision_config": {"depth": 1, "hidden_size": 4, "intermediate_size": 6, "num_heads": 2,
            "in_channels": 3, "patch_size": 2, "temporal_patch_size": 2, "spatial_merge_size": 2,
            "out_hidden_size": 8}})"));
        // By hand. Vision (Ev 4, merged 16): patch_embed.proj 4·3·2·2·2 = 96 (no bias); the block's
        // norm1 and norm2 4 each, qkv 4·12 + 12 = 60, proj 4·4 + 4 = 20, gate_proj and up_proj 4·6 + 6 =
        // 30 each, down_proj 6·4 + 4 = 28: 176; merger ln_q 4, mlp.0 16·16 + 16 = 272, mlp.2 16·8 + 8 =
        // 136: 412. Text (D 4, one KV head): q_proj 8·8 + 8 = 72, k_proj and v_proj 8·4 + 4 = 36 each,
        // o_proj 64, gate, up and down 8·6 = 48 each, two norms 8 each: 368; embed_tokens and lm_head
        // 16·8 = 128 each, the norm 8.
        constexpr Count kParams = 96 + 176 + 412 + 368 + 2 * 128 + 8; // 1,316
        const std::string v = legacy ? "visual." : "model.visual.";
        const std::string m = legacy ? "model." : "model.language_model.";
        const std::vector<TensorSpec> tensors { { v + "patch_embed.proj.weight", "BF16", { 4, 3, 2, 2, 2 } },
            { v + "blocks.0.norm1.weight", "BF16", { 4 } }, { v + "blocks.0.norm2.weight", "BF16", { 4 } },
            { v + "blocks.0.attn.qkv.weight", "BF16", { 12, 4 } }, { v + "blocks.0.attn.qkv.bias", "BF16", { 12 } },
            { v + "blocks.0.attn.proj.weight", "BF16", { 4, 4 } }, { v + "blocks.0.attn.proj.bias", "BF16", { 4 } },
            { v + "blocks.0.mlp.gate_proj.weight", "BF16", { 6, 4 } },
            { v + "blocks.0.mlp.gate_proj.bias", "BF16", { 6 } },
            { v + "blocks.0.mlp.up_proj.weight", "BF16", { 6, 4 } }, { v + "blocks.0.mlp.up_proj.bias", "BF16", { 6 } },
            { v + "blocks.0.mlp.down_proj.weight", "BF16", { 4, 6 } },
            { v + "blocks.0.mlp.down_proj.bias", "BF16", { 4 } }, { v + "merger.ln_q.weight", "BF16", { 4 } },
            { v + "merger.mlp.0.weight", "BF16", { 16, 16 } }, { v + "merger.mlp.0.bias", "BF16", { 16 } },
            { v + "merger.mlp.2.weight", "BF16", { 8, 16 } }, { v + "merger.mlp.2.bias", "BF16", { 8 } },
            { m + "embed_tokens.weight", "BF16", { 16, 8 } },
            { m + "layers.0.self_attn.q_proj.weight", "BF16", { 8, 8 } },
            { m + "layers.0.self_attn.q_proj.bias", "BF16", { 8 } },
            { m + "layers.0.self_attn.k_proj.weight", "BF16", { 4, 8 } },
            { m + "layers.0.self_attn.k_proj.bias", "BF16", { 4 } },
            { m + "layers.0.self_attn.v_proj.weight", "BF16", { 4, 8 } },
            { m + "layers.0.self_attn.v_proj.bias", "BF16", { 4 } },
            { m + "layers.0.self_attn.o_proj.weight", "BF16", { 8, 8 } },
            { m + "layers.0.mlp.gate_proj.weight", "BF16", { 6, 8 } },
            { m + "layers.0.mlp.up_proj.weight", "BF16", { 6, 8 } },
            { m + "layers.0.mlp.down_proj.weight", "BF16", { 8, 6 } },
            { m + "layers.0.input_layernorm.weight", "BF16", { 8 } },
            { m + "layers.0.post_attention_layernorm.weight", "BF16", { 8 } }, { m + "norm.weight", "BF16", { 8 } },
            { "lm_head.weight", "BF16", { 16, 8 } } };
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), tensors));
        const Counted qwen = counted(dir.path().toStdString());
        QCOMPARE(qwen.evaluation.total, kParams);
        const Verification r = check(qwen, dir.path().toStdString());
        QVERIFY2(r.ok(), problems(r).c_str());
        QCOMPARE(r.matched, kParams);
        // A tensor left out is named as the file names the others.
        auto fewer = tensors;
        std::erase_if(fewer, [&](const TensorSpec& t) { return t.name == m + "layers.0.self_attn.k_proj.weight"; });
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), fewer));
        const Verification missing = check(qwen, dir.path().toStdString());
        QVERIFY(!missing.ok());
        QVERIFY2(findingNamed(missing, Finding::Kind::Missing, m + "layers.0.self_attn.k_proj.weight"),
            problems(missing).c_str());
    }

    void tiedHeadStoredTwice()
    {
        QTemporaryDir dir;
        QByteArray config(kLlamaConfig);
        config.replace("\"tie_word_embeddings\": false", "\"tie_word_embeddings\": true");
        QFile f(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(config) > 0);
        f.close();
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), llamaTensors()));
        const Counted llama = counted(dir.path().toStdString());
        QCOMPARE(llama.evaluation.total, kLlamaParams - 256'000); // lm_head shares embed_tokens
        const Verification v = check(llama, dir.path().toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        const Finding* tied = findingNamed(v, Finding::Kind::TiedCopy, "lm_head.weight");
        QVERIFY(tied);
        QCOMPARE(tied->values, Count(256'000));
    }

    void shardedIndex()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kLlamaConfig));
        const auto tensors = llamaTensors();
        const std::vector<TensorSpec> first(tensors.begin(), tensors.begin() + 15),
            second(tensors.begin() + 15, tensors.end());
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model-00001-of-00002.safetensors")), first));
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("model-00002-of-00002.safetensors")), second));
        nlohmann::json index;
        index["metadata"] = { { "total_size", kLlamaParams * 2 } };
        for (const auto& t : first)
            index["weight_map"][t.name] = "model-00001-of-00002.safetensors";
        for (const auto& t : second)
            index["weight_map"][t.name] = "model-00002-of-00002.safetensors";
        const QString indexPath = dir.filePath(QStringLiteral("model.safetensors.index.json"));
        QVERIFY(writeText(indexPath, index.dump().c_str()));

        const Counted llama = counted(dir.path().toStdString());
        for (const QString& path : { dir.path(), indexPath }) {
            const Verification v = check(llama, path.toStdString());
            QVERIFY2(v.ok(), problems(v).c_str());
            QCOMPARE(v.files.size(), std::size_t(2));
            QCOMPARE(v.matched, kLlamaParams);
        }

        // An index that puts a tensor in the wrong shard is refused, naming it.
        index["weight_map"]["model.norm.weight"] = "model-00001-of-00002.safetensors";
        QVERIFY(writeText(indexPath, index.dump().c_str()));
        auto bad = readCheckpoint(indexPath.toStdString());
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().text().find("model.norm.weight") != std::string::npos, bad.error().text().c_str());
    }

    void ggufLlama()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kLlamaConfig));
        const QString file = dir.filePath(QStringLiteral("model-Q4_K_M.gguf"));
        GgufWriter w = llamaGguf();
        QVERIFY(w.write(file));
        auto list = readGguf(file.toStdString());
        QVERIFY2(list.ok(), list.ok() ? "" : list.error().text().c_str());
        QCOMPARE(list->format, TensorList::Format::Gguf);
        QCOMPARE(list->metadata.at("general.architecture"), std::string("llama"));
        QCOMPARE(list->metadata.at("llama.block_count"), std::string("3"));
        QCOMPARE(list->metadata.at("tokenizer.ggml.tokens"), std::string("[1000 × string]"));
        QCOMPARE(list->metadata.at("GGUF.alignment"), std::string("64"));
        // GGUF lists dimensions innermost first; they are read back outermost first.
        QCOMPARE(list->tensors[0].name, std::string("token_embd.weight"));
        QCOMPARE(list->tensors[0].shape, (std::vector<Count> { 1000, 256 }));
        QCOMPARE(list->tensors[0].bytes, Count(256'000 / 32 * 34));
        QCOMPARE(list->totalValues(), kLlamaParams);

        const Counted llama = counted(dir.filePath(QStringLiteral("config.json")).toStdString());
        const Verification v = verify(llama.design, llama.evaluation, *list);
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.matched, kLlamaParams);
        // Q4_K: 144 bytes per block of 256 values, 4.5 bits per weight.
        bool q4k = false;
        for (const auto& d : v.dtypes)
            if (d.dtype == "Q4_K") {
                q4k = true;
                QCOMPARE(d.values, Count(6 * 196'608));
                QCOMPARE(d.bitsPerWeight, 4.5);
            }
        QVERIFY(q4k);
        const std::string text = verifyText(llama, v);
        QVERIFY2(text.find("blocks of 256 values in 144 bytes") != std::string::npos, text.c_str());

        // A reshaped tensor is named.
        GgufWriter bad = llamaGguf("blk.1.attn_k.weight");
        QVERIFY(bad.write(file));
        const Verification b = check(llama, file.toStdString());
        QVERIFY(!b.ok());
        QVERIFY2(findingNamed(b, Finding::Kind::WrongShape, "blk.1.attn_k.weight"), problems(b).c_str());
    }

    void ggufDeepseekMla_data()
    {
        QTest::addColumn<QString>("kvB");
        QTest::newRow("attn_k_b and attn_v_b") << QStringLiteral("split");
        QTest::newRow("attn_kv_b (before the split)") << QStringLiteral("kv_b");
    }
    void ggufDeepseekMla()
    {
        QFETCH(QString, kvB);
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kDeepseekV3Config));
        const Counted ds = counted(dir.filePath(QStringLiteral("config.json")).toStdString());
        // By hand. Attention: q_a 16·8 = 128, q_a_layernorm 8, q_b 8·2·(6+2) = 128, kv_a_mqa
        // 16·(4+2) = 96, kv_a_layernorm 4, kv_b 4·2·(6+4) = 80 (attn_k_b 2·4·6 = 48 + attn_v_b
        // 2·4·4 = 32), o_proj 2·4·16 = 128: 572, plus two norms of 16: 604 a layer, 1,208 for two.
        // Dense MLP 3·16·32 = 1,536. MoE: experts 4·3·16·8 = 1,536, router 4·16 = 64, score bias
        // 4, shared expert 3·16·8 = 384: 1,988. Embedding and head 2·64·16 = 2,048, final norm 16.
        constexpr Count kParams = 1'208 + 1'536 + 1'988 + 2'048 + 16; // 6,796
        QCOMPARE(ds.evaluation.total, kParams);
        const QString file = dir.filePath(QStringLiteral("model.gguf"));
        QVERIFY(deepseekGguf(kvB.toStdString()).write(file));
        const Verification v = check(ds, file.toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.matched, kParams);

        if (kvB != QLatin1String("split"))
            return;
        // attn_k_b written as the value half is ([H, Dn, Rkv]): named, not counted as matched.
        QVERIFY(deepseekGguf("split", true).write(file));
        const Verification b = check(ds, file.toStdString());
        QVERIFY(!b.ok());
        QVERIFY2(findingNamed(b, Finding::Kind::WrongShape, "blk.1.attn_k_b.weight"), problems(b).c_str());
        QCOMPARE(b.matched, kParams - 48);

        // A half without the other: the absent one is named.
        QVERIFY(deepseekGguf("split", false, true).write(file));
        const Verification m = check(ds, file.toStdString());
        QVERIFY(!m.ok());
        QVERIFY2(findingNamed(m, Finding::Kind::Missing, "blk.1.attn_v_b.weight"), problems(m).c_str());
        QCOMPARE(m.matched, kParams - 80);
    }

    void ggufPhi3()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kPhi3Config));
        const Counted phi = counted(dir.filePath(QStringLiteral("config.json")).toStdString());
        // By hand, a layer: qkv_proj 16·(2·8 + 2·1·8) = 512, o_proj 16·16 = 256, gate_up_proj
        // 16·2·24 = 768, down_proj 24·16 = 384, two norms 32: 1,952; two layers 3,904. Embedding
        // and head 2·64·16 = 2,048, final norm 16.
        constexpr Count kParams = 3'904 + 2'048 + 16; // 5,968
        QCOMPARE(phi.evaluation.total, kParams);
        const QString file = dir.filePath(QStringLiteral("model.gguf"));
        QVERIFY(phi3Gguf().write(file));
        const Verification v = check(phi, file.toStdString());
        QVERIFY2(v.ok(), problems(v).c_str());
        QCOMPARE(v.matched, kParams);
        QVERIFY(findingNamed(v, Finding::Kind::Buffer, "rope_factors_long.weight"));

        // The up half alone where gate and up are stored together: named.
        QVERIFY(phi3Gguf(true).write(file));
        const Verification b = check(phi, file.toStdString());
        QVERIFY(!b.ok());
        QVERIFY2(findingNamed(b, Finding::Kind::WrongShape, "blk.1.ffn_up.weight"), problems(b).c_str());
    }

    void ggufBert()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kBertConfig));
        const Counted bert = counted(dir.filePath(QStringLiteral("config.json")).toStdString());
        // By hand. Embeddings: words 64·16 = 1,024, positions 32·16 = 512, token types 2·16 = 32,
        // LayerNorm 32: 1,600. A layer: q, k, v, o 4·(16·16 + 16) = 1,088, attention LayerNorm 32,
        // intermediate 16·32 + 32 = 544, output 32·16 + 16 = 528, LayerNorm 32: 2,224; two 4,448.
        // Pooler 16·16 + 16 = 272, which llama.cpp's converter leaves out.
        constexpr Count kPooler = 272;
        constexpr Count kParams = 1'600 + 4'448 + kPooler; // 6,320
        QCOMPARE(bert.evaluation.total, kParams);
        const QString file = dir.filePath(QStringLiteral("model.gguf"));
        QVERIFY(bertGguf().write(file));
        const Verification v = check(bert, file.toStdString());
        QCOMPARE(v.matched, kParams - kPooler);
        // The pooler's two tensors are the only problems, and say why they are missing.
        const Finding* pooler = findingNamed(v, Finding::Kind::Missing, "pooler.dense.weight");
        QVERIFY2(pooler, problems(v).c_str());
        QVERIFY2(pooler->text.find("llama.cpp") != std::string::npos, pooler->text.c_str());
        QVERIFY(findingNamed(v, Finding::Kind::Missing, "pooler.dense.bias"));
        QCOMPARE(
            std::count_if(v.findings.begin(), v.findings.end(), [](const Finding& f) { return f.isProblem(); }), 2);

        QVERIFY(bertGguf(true).write(file));
        const Verification b = check(bert, file.toStdString());
        QVERIFY2(findingNamed(b, Finding::Kind::WrongShape, "blk.0.attn_output_norm.weight"), problems(b).c_str());
        QCOMPARE(b.matched, kParams - kPooler - 16);
    }

    void inspect()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("model.safetensors"));
        QVERIFY(writeSafetensors(file, gpt2Tensors()));
        auto list = readCheckpoint(file.toStdString());
        QVERIFY(list.ok());
        const std::string text = inspectText(*list);
        QVERIFY2(text.find("h.*.attn.c_attn.weight ×12") != std::string::npos, text.c_str());
        QVERIFY2(text.find("137,022,720") != std::string::npos, text.c_str());
        const auto j = nlohmann::json::parse(inspectJson(*list));
        QCOMPARE(j["total_values"].get<Count>(), Count(137'022'720));
        QCOMPARE(j["dtypes"][0]["bytes"].get<Count>(), Count(137'022'720) * 4);
    }

    /// Bad input: one message naming the field, never a crash or a huge allocation.
    void badSafetensors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qint64>("extraData");
        QTest::addColumn<QString>("message");
        auto file = [](const std::string& json) {
            QByteArray b(8, '\0');
            qToLittleEndian<quint64>(json.size(), b.data());
            return b + QByteArray::fromStdString(json);
        };
        QTest::newRow("truncated") << QByteArray("\x10\0\0", 3) << qint64(0) << "truncated";
        QByteArray huge(8, '\0');
        qToLittleEndian<quint64>(quint64(200'000'000), huge.data());
        QTest::newRow("header over 100 MB") << huge << qint64(0) << "over the 100 MB limit";
        QByteArray beyond(8, '\0');
        qToLittleEndian<quint64>(quint64(4096), beyond.data());
        QTest::newRow("header beyond the file") << beyond + "{}" << qint64(0) << "beyond the end of the file";
        QTest::newRow("not JSON") << file("{\"a\": ") << qint64(0) << "not valid JSON";
        QTest::newRow("not an object") << file("[1, 2]") << qint64(0) << "not a JSON object";
        QTest::newRow("tensor not an object") << file(R"({"w": 3})") << qint64(0) << "tensor 'w' is a number";
        QTest::newRow("negative shape") << file(R"({"w": {"dtype": "F32", "shape": [-1, 4], "data_offsets": [0, 16]}})")
                                        << qint64(16) << "tensor 'w': shape[0] is negative";
        QTest::newRow("overflowing shape")
            << file(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 16]}})")
            << qint64(16) << "tensor 'w': the shape's product overflows";
        QTest::newRow("shape past 2^63") << file(
            R"({"w": {"dtype": "F32", "shape": [18446744073709551615], "data_offsets": [0, 16]}})")
                                         << qint64(16) << "shape[0] is too large";
        QTest::newRow("offsets outside") << file(R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})")
                                         << qint64(8)
                                         << "tensor 'w': data_offsets [0, 16] lie outside the data section (8 bytes)";
        QTest::newRow("offsets reversed") << file(R"({"w": {"dtype": "F32", "shape": [0], "data_offsets": [8, 0]}})")
                                          << qint64(8) << "end before they begin";
        QTest::newRow("size disagrees") << file(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}})")
                                        << qint64(16) << "hold 16 bytes, but F32 of this shape takes 12";
        QTest::newRow("overlapping") << file(R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},)"
                                             R"( "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}})")
                                     << qint64(24) << "tensors 'a' and 'b' overlap";
        QTest::newRow("unknown dtype") << file(R"({"w": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}})")
                                       << qint64(16) << "tensor 'w': unknown dtype 'F128'";
        QTest::newRow("no dtype") << file(R"({"w": {"shape": [1], "data_offsets": [0, 4]}})") << qint64(4)
                                  << "tensor 'w' has no dtype";
        QTest::newRow("three offsets") << file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}})")
                                       << qint64(8) << "data_offsets must hold two offsets";
        QTest::newRow("float in shape") << file(R"({"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}})")
                                        << qint64(8) << "tensor 'w': shape holds a number that is not an integer";
        QTest::newRow("name twice") << file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},)"
                                            R"( "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})")
                                    << qint64(8) << "tensor 'w' is given twice";
        QTest::newRow("metadata not a string")
            << file(R"({"__metadata__": {"format": 1}})") << qint64(0) << "__metadata__ 'format' is a number";
    }
    void badSafetensors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(qint64, extraData);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("bad.safetensors"));
        QVERIFY(writeSparse(file, bytes, extraData));
        auto list = readSafetensors(file.toStdString());
        QVERIFY(!list.ok());
        const std::string text = list.error().text();
        QVERIFY2(text.find(message.toStdString()) != std::string::npos, text.c_str());
        QVERIFY2(text.find(file.toStdString()) == 0, text.c_str()); // names the file first
        QVERIFY(text.find('\n') == std::string::npos);
        // The same bytes from memory give the same message.
        auto fromMemory = parseSafetensors(bytes.toStdString(), bytes.size() + extraData, file.toStdString());
        QVERIFY(!fromMemory.ok());
    }

    void badGguf_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        GgufWriter g;
        auto head = [&g](quint32 version, quint64 tensors, quint64 kvs) {
            QByteArray b("GGUF");
            g.u32(b, version);
            g.u64(b, tensors);
            g.u64(b, kvs);
            return b;
        };
        QTest::newRow("bad magic") << QByteArray("GGML\3\0\0\0") << "bad magic";
        QTest::newRow("truncated") << QByteArray("GG") << "truncated";
        QTest::newRow("version 1") << head(1, 0, 0) << "version 1";
        QTest::newRow("unknown version") << head(7, 0, 0) << "unknown GGUF version 7";
        QTest::newRow("big-endian") << head(0x03000000, 0, 0) << "big-endian";
        QTest::newRow("absurd tensor count") << head(3, quint64(1) << 60, 0) << "absurd tensor count";
        QTest::newRow("absurd key/value count") << head(3, 0, ~quint64(0)) << "absurd key/value count";
        QByteArray longKey = head(3, 0, 1);
        g.u64(longKey, quint64(1) << 40);
        longKey += "abcdefghijklmn";
        QTest::newRow("absurd string length") << longKey << "key/value 0: the key: a string of 1099511627776 bytes";
        QByteArray badType = head(3, 0, 1);
        g.str(badType, "a.key");
        g.u32(badType, 99);
        g.u64(badType, 0);
        QTest::newRow("unknown value type") << badType << "key 'a.key': unknown value type 99";
        QByteArray bigArray = head(3, 0, 1);
        g.str(bigArray, "tokens");
        g.u32(bigArray, 9);
        g.u32(bigArray, 8);
        g.u64(bigArray, quint64(1) << 50);
        QTest::newRow("absurd array length") << bigArray << "key 'tokens': an array of 1125899906842624 string";
        QByteArray nested = head(3, 0, 1);
        g.str(nested, "n");
        g.u32(nested, 9);
        g.u32(nested, 9);
        g.u64(nested, 1);
        QTest::newRow("nested array") << nested << "an array of arrays";
        auto tensorFile = [&](quint32 dims, std::vector<quint64> ne, quint32 type, quint64 offset) {
            QByteArray b = head(3, 1, 0);
            g.str(b, "w");
            g.u32(b, dims);
            for (auto d : ne)
                g.u64(b, d);
            g.u32(b, type);
            g.u64(b, offset);
            while (b.size() % 32)
                b.append('\0');
            return b + QByteArray(64, '\0');
        };
        QTest::newRow("unknown ggml type") << tensorFile(1, { 4 }, 4, 0) << "tensor 'w': unknown ggml type 4";
        QTest::newRow("too many dims") << tensorFile(5, { 1, 1, 1, 1, 1 }, 0, 0) << "tensor 'w': n_dims 5";
        QTest::newRow("overflowing dims") << tensorFile(2, { quint64(1) << 40, quint64(1) << 40 }, 0, 0)
                                          << "tensor 'w': the shape's product overflows";
        QTest::newRow("negative dim") << tensorFile(1, { ~quint64(0) }, 0, 0) << "dimension 0";
        QTest::newRow("outside the data") << tensorFile(1, { 64 }, 0, 0) << "lies outside the data section";
        QTest::newRow("misaligned") << tensorFile(1, { 4 }, 0, 3) << "not a multiple of the alignment 32";
        QTest::newRow("partial block") << tensorFile(1, { 100 }, 12, 0) << "not a multiple of Q4_K's block of 256";
        QByteArray align = head(3, 0, 1);
        g.str(align, "general.alignment");
        g.u32(align, 4);
        g.u32(align, 48);
        QTest::newRow("alignment") << align << "general.alignment 48 is not a power of two";
    }
    void badGguf()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("bad.gguf"));
        QVERIFY(writeSparse(file, bytes, 0));
        auto list = readGguf(file.toStdString());
        QVERIFY(!list.ok());
        const std::string text = list.error().text();
        QVERIFY2(text.find(message.toStdString()) != std::string::npos, text.c_str());
        QVERIFY(text.find('\n') == std::string::npos);
        auto fromMemory = parseGguf(bytes.toStdString(), bytes.size(), file.toStdString());
        QVERIFY(!fromMemory.ok());
        QCOMPARE(fromMemory.error().text(), text);
    }

    /// `paramscope-cli verify` and `inspect`: exit 0 when all is accounted for, 1 on a mismatch
    /// (listed on stdout), 2 on unreadable input (one line on stderr).
    void cli()
    {
        QTemporaryDir dir;
        const QString good = dir.filePath(QStringLiteral("good.safetensors"));
        QVERIFY(writeSafetensors(good, gpt2Tensors()));
        auto tensors = gpt2Tensors();
        std::erase_if(tensors, [](const TensorSpec& t) { return t.name == "h.7.attn.c_proj.bias"; });
        const QString missing = dir.filePath(QStringLiteral("missing.safetensors"));
        QVERIFY(writeSafetensors(missing, tensors));
        const QString bad = dir.filePath(QStringLiteral("bad.safetensors"));
        QVERIFY(writeSparse(bad, QByteArray("\xff\xff\xff\xff\xff\xff\xff\x7f{}", 10), 0));

        Run r = paramscope::test::cli({ QStringLiteral("verify"), QStringLiteral("gpt2"), good });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("all 124,439,808 parameters of the class are in the file"), r.out.constData());
        QVERIFY(r.out.contains("12 × h.*.attn.bias (12,582,912 values)"));

        r = paramscope::test::cli(
            { QStringLiteral("verify"), QStringLiteral("gpt2"), missing, QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 1);
        const auto j = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(j["ok"].get<bool>(), false);
        QCOMPARE(j["matched"].get<Count>(), kGpt2Params - 768);
        QCOMPARE(j["problems"][0]["name"].get<std::string>(), std::string("h.7.attn.c_proj.bias"));
        QCOMPARE(j["problems"][0]["kind"].get<std::string>(), std::string("missing"));

        r = paramscope::test::cli({ QStringLiteral("verify"), QStringLiteral("gpt2"), bad });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("over the 100 MB limit"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(r.out.isEmpty());

        // A model folder: config.json and its weights.
        QVERIFY(writeText(dir.filePath(QStringLiteral("config.json")), kLlamaConfig));
        QVERIFY(llamaGguf().write(dir.filePath(QStringLiteral("model.gguf"))));
        QDir(dir.path()).remove(QStringLiteral("good.safetensors"));
        QDir(dir.path()).remove(QStringLiteral("missing.safetensors"));
        QDir(dir.path()).remove(QStringLiteral("bad.safetensors"));
        r = paramscope::test::cli({ QStringLiteral("verify"), dir.path() });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("all 2,774,784 parameters"), r.out.constData());

        r = paramscope::test::cli(
            { QStringLiteral("inspect"), dir.filePath(QStringLiteral("model.gguf")), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const auto k = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(k["total_values"].get<Count>(), kLlamaParams);
        QCOMPARE(k["format"].get<std::string>(), std::string("GGUF"));

        r = paramscope::test::cli({ QStringLiteral("inspect"), dir.filePath(QStringLiteral("none.gguf")) });
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("no such file"));
    }

    void folderOfFiles()
    {
        // A folder of .safetensors files without an index: read in name order; a tensor stored
        // in two of them is refused, naming both files.
        QTemporaryDir dir;
        const auto tensors = llamaTensors();
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("a.safetensors")),
            std::vector<TensorSpec>(tensors.begin(), tensors.begin() + 10)));
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("b.safetensors")),
            std::vector<TensorSpec>(tensors.begin() + 10, tensors.end())));
        auto list = readCheckpoint(dir.path().toStdString());
        QVERIFY2(list.ok(), list.ok() ? "" : list.error().text().c_str());
        QCOMPARE(list->files.size(), std::size_t(2));
        QCOMPARE(list->totalValues(), kLlamaParams);
        QCOMPARE(list->tensors.back().file, 1);
        QVERIFY(writeSafetensors(dir.filePath(QStringLiteral("c.safetensors")), { tensors[3] }));
        auto twice = readCheckpoint(dir.path().toStdString());
        QVERIFY(!twice.ok());
        const std::string text = twice.error().text();
        QVERIFY2(text.find(tensors[3].name) != std::string::npos && text.find("a.safetensors") != std::string::npos
                && text.find("c.safetensors") != std::string::npos,
            text.c_str());
    }

    void ggufVersion2()
    {
        // Versions 2 and 3 share the layout (3 added big-endian files, which are refused).
        QTemporaryDir dir;
        GgufWriter w(2);
        w.kvString("general.architecture", "llama");
        w.tensor("token_embd.weight", { 8, 4 }, 0, 8 * 4 * 4);
        QVERIFY(w.write(dir.filePath(QStringLiteral("v2.gguf"))));
        auto list = readCheckpoint(dir.filePath(QStringLiteral("v2.gguf")).toStdString());
        QVERIFY2(list.ok(), list.ok() ? "" : list.error().text().c_str());
        QCOMPARE(list->metadata.at("GGUF.version"), std::string("2"));
        QCOMPARE(list->tensors[0].shape, (std::vector<Count> { 8, 4 }));
        QCOMPARE(list->tensors[0].bytes, Count(128));
    }

    void unreadable()
    {
        QTemporaryDir dir;
        auto missing = readCheckpoint(dir.filePath(QStringLiteral("nothing.safetensors")).toStdString());
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().text().find("no such file") != std::string::npos);
        auto empty = readCheckpoint(dir.path().toStdString());
        QVERIFY(!empty.ok());
        QVERIFY(empty.error().text().find("no .safetensors") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestWeights)
#include "tst_weights.moc"
