// SPDX-License-Identifier: MIT
// Fuzz target: the GGUF header reader. The input is a whole .gguf file. Read it, then the
// invariants of weightsfuzz.h, with GGUF's names (token_embd, blk.N.attn_q …) matched to the
// same small designs.
#include "weightsfuzz.h"

#include "weights/gguf.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace paramscope;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto list = core::parseGguf(bytes, static_cast<core::Count>(size), "model.gguf");
    if (!list) {
        const std::string text = list.error().text();
        fuzz::require(!list.error().message.empty() && text.find('\n') == std::string::npos,
            "an empty or multi-line error: " + text);
        return 0;
    }
    for (const auto& t : list->tensors)
        fuzz::require(t.shape.size() >= 1 && t.shape.size() <= 4, t.name + ": GGUF has 1 to 4 dimensions");
    fuzz::exerciseTensors(*list);
    return 0;
}
