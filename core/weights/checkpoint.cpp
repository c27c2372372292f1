// SPDX-License-Identifier: MIT
#include "weights/checkpoint.h"

#include "weights/gguf.h"
#include "weights/safetensors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace paramscope::core {

namespace fs = std::filesystem;

namespace {

bool endsWith(const std::string& s, std::string_view tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

struct FolderFiles {
    std::vector<std::string> indexes, safetensors, ggufs;
};

FolderFiles scan(const std::string& folder)
{
    FolderFiles f;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        // Hugging Face cache snapshots hold symlinks into blobs/: follow them.
        if (!fs::is_regular_file(it->path(), ec))
            continue;
        const std::string name = it->path().filename().string();
        const std::string full = it->path().string();
        if (endsWith(name, ".safetensors.index.json"))
            f.indexes.push_back(full);
        else if (endsWith(name, ".safetensors"))
            f.safetensors.push_back(full);
        else if (endsWith(name, ".gguf"))
            f.ggufs.push_back(full);
    }
    std::sort(f.indexes.begin(), f.indexes.end());
    std::sort(f.safetensors.begin(), f.safetensors.end());
    std::sort(f.ggufs.begin(), f.ggufs.end());
    return f;
}

Result<TensorList> readFiles(const std::vector<std::string>& files, Result<TensorList> (*read)(const std::string&))
{
    std::vector<TensorList> parts;
    parts.reserve(files.size());
    for (const auto& f : files) {
        auto one = read(f);
        if (!one)
            return one.error();
        parts.push_back(std::move(*one));
    }
    return mergeTensorLists(std::move(parts));
}

} // namespace

Result<TensorList> readCheckpoint(const std::string& path)
{
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        const FolderFiles f = scan(path);
        if (f.indexes.size() > 1)
            return Error { path, "holds several safetensors indexes: name one of them" };
        if (f.indexes.size() == 1)
            return readSafetensorsIndex(f.indexes.front());
        if (!f.safetensors.empty())
            return readFiles(f.safetensors, readSafetensors);
        if (!f.ggufs.empty())
            return readFiles(f.ggufs, readGguf);
        return Error { path, "is a folder with no .safetensors, safetensors index or .gguf file in it" };
    }
    if (!fs::exists(path, ec))
        return Error { path, "no such file or folder" };
    if (endsWith(path, ".json"))
        return readSafetensorsIndex(path);
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    if (in.gcount() == 4 && isGguf({ magic, 4 }))
        return readGguf(path);
    return readSafetensors(path);
}

bool hasCheckpoint(const std::string& folder)
{
    const FolderFiles f = scan(folder);
    return !f.indexes.empty() || !f.safetensors.empty() || !f.ggufs.empty();
}

} // namespace paramscope::core
