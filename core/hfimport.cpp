// SPDX-License-Identifier: MIT
#include "hfimport.h"

#include <nlohmann/json.hpp>

namespace paramscope::core {

bool isHfConfig(const nlohmann::json& j)
{
    return j.is_object() && (j.contains("model_type") || j.contains("architectures") || j.contains("n_embd"));
}

Result<Design> importHfConfig(const nlohmann::json&, const std::string&)
{
    return Error {"", "Hugging Face config.json import is not available yet"};
}

} // namespace paramscope::core
