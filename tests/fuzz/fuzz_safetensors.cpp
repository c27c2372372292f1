// SPDX-License-Identifier: MIT
// Fuzz target: the safetensors header reader. The input is a whole .safetensors file (length,
// JSON header, data). Read it, then the invariants of weightsfuzz.h: counts are the shapes'
// products, the reports render, and matching against small designs keeps its promises.
#include "weightsfuzz.h"

#include "weights/safetensors.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace paramscope;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto list = core::parseSafetensors(bytes, static_cast<core::Count>(size), "model.safetensors");
    if (!list) {
        const std::string text = list.error().text();
        fuzz::require(!list.error().message.empty() && text.find('\n') == std::string::npos,
            "an empty or multi-line error: " + text);
        return 0;
    }
    fuzz::exerciseTensors(*list);
    return 0;
}
