// SPDX-License-Identifier: MIT
#include "hffamilies.h"

namespace paramscope::core::hf {

Result<Design> buildOpt(HfConfig&, const std::string& modelType, const std::string&)
{
    return Error {"model_type", "'" + modelType + "' is recognised but its importer is not written yet"};
}

} // namespace paramscope::core::hf
