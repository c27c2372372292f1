// SPDX-License-Identifier: MIT
#pragma once

#include "result.h"
#include "weights/tensorlist.h"

#include <string>
#include <string_view>

namespace paramscope::core {

/// The largest safetensors header read (the format's own limit, as the reference reader has it).
inline constexpr Count kMaxSafetensorsHeader = 100'000'000;

/// Reads the header of the `.safetensors` file at @p path: its 8-byte little-endian length, then
/// the JSON of tensors (dtype, shape, data_offsets) and `__metadata__`. Tensor data is never
/// read. Every bound is checked against the file's size: a truncated file, a header longer than
/// the file or 100 MB, a header that is not a JSON object, a negative or overflowing shape, data
/// offsets outside the data section, overlapping or not matching the dtype and shape, an unknown
/// dtype, a name given twice — each is an Error naming the file and the tensor or field.
Result<TensorList> readSafetensors(const std::string& path);

/// The same from memory: @p bytes is the start of the file (at least the length and the header),
/// @p fileSize the whole file's size (the data section is what follows the header); @p origin
/// names it in errors. The fuzz target's entry point.
Result<TensorList> parseSafetensors(std::string_view bytes, Count fileSize, const std::string& origin);

/// Reads a sharded checkpoint's `model.safetensors.index.json` at @p path and the header of every
/// shard it names (in the index's folder). The index and the shards must agree: a tensor the
/// index puts in a shard that does not hold it, or a shard holding a tensor the index does not
/// list, is an Error; so is a tensor stored in two shards.
Result<TensorList> readSafetensorsIndex(const std::string& path);

/// One list of @p parts (read from several files, in order): their files and tensors, with each
/// tensor's file index renumbered. A tensor name in two parts is an Error naming both files; so is a
/// total of values past 2^63 − 1. O(tensors).
Result<TensorList> mergeTensorLists(std::vector<TensorList>&& parts);

} // namespace paramscope::core
