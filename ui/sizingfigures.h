// SPDX-License-Identifier: MIT
#pragma once

#include "sizingreport.h"

#include <QString>

#include <vector>

namespace paramscope::ui {

/// One figure of the Sizing panel as it reads: every number comes from the core's report, written
/// out exactly (digits grouped) with its unit, and bytes also in GiB and GB, each labelled.
struct SizingRow {
    QString key; ///< stable name for tests and updates: "weights", "kv.perToken", "fits.devices" …
    QString label; ///< "Per token"
    QString exact; ///< "131,072"; empty for a detail line
    QString unit; ///< "bytes", "FLOPs", "tokens"
    QString human; ///< "14.96 GiB · 16.06 GB", or "8.03B"
    QString note; ///< formula or detail
    bool headline = false; ///< the section's main figure
};

/// A group of figures with the convention they follow.
struct SizingSection {
    QString key; ///< "weights", "kv", "training", "compute", "fits"
    QString title;
    std::vector<SizingRow> rows;
    QString convention;
};

/// The panel's sections for @p memory and @p flops (no arithmetic here: the core computed them).
std::vector<SizingSection> sizingSections(const core::MemoryReport& memory, const core::FlopsReport& flops);

} // namespace paramscope::ui
