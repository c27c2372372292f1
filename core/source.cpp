// SPDX-License-Identifier: MIT
#include "source.h"

#include "designio.h"
#include "hf/import.h"
#include "presets.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace paramscope::core {

namespace fs = std::filesystem;

namespace {

/// A model folder's name: "openai-community/gpt2" for a Hugging Face cache snapshot
/// (…/models--openai-community--gpt2/snapshots/<revision>), else the folder's own name.
std::string modelName(const fs::path& folder)
{
    const fs::path snapshots = folder.parent_path();
    const std::string repo = snapshots.parent_path().filename().string();
    if (snapshots.filename() == "snapshots" && repo.starts_with("models--") && repo.size() > 8) {
        std::string id = repo.substr(8);
        if (const auto sep = id.find("--"); sep != std::string::npos)
            id.replace(sep, 2, "/");
        return id;
    }
    return folder.filename().string();
}

} // namespace

Result<std::string> readFile(const std::string& path)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        return Error { path, "no such file" };
    if (!fs::is_regular_file(status))
        return Error { path, "not a regular file" };
    const auto size = fs::file_size(path, ec);
    if (ec)
        return Error { path, "cannot read: " + ec.message() };
    if (size > kMaxInputBytes)
        return Error { path,
            "file is " + std::to_string(size) + " bytes; the limit is " + std::to_string(kMaxInputBytes) };
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error { path, "cannot open for reading" };
    std::string text(size, '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(in.gcount()) != size)
        return Error { path, "could not read the whole file" };
    return text;
}

Result<Design> loadText(std::string_view text, const std::string& origin, const LoadOptions& options)
{
    auto j = parseJson(text);
    if (!j)
        return j.error().within(origin);
    if (isDesignJson(*j)) {
        if (!options.asFamily.empty())
            return Error { origin,
                "is a ParamScope design; --as " + options.asFamily + " applies to Hugging Face configs" };
        if (!options.className.empty()) {
            auto d = designFromJson(*j);
            if (d && d->className != options.className)
                return Error { origin,
                    "is a design of " + (d->className.empty() ? "an unnamed class" : d->className) + "; --class "
                        + options.className + " applies to Hugging Face configs" };
            return d ? std::move(d) : Result<Design>(d.error().within(origin));
        }
        auto d = designFromJson(*j);
        return d ? std::move(d) : Result<Design>(d.error().within(origin));
    }
    if (isHfConfig(*j)) {
        auto d = importHfConfig(*j, options.className, options.asFamily);
        if (!d)
            return d.error().within(origin);
        if (d->name.empty())
            d->name = fs::path(origin).filename() == "config.json" ? modelName(fs::path(origin).parent_path())
                                                                   : fs::path(origin).stem().string();
        if (d->source.empty())
            d->source = origin;
        return d;
    }
    return Error { origin,
        "neither a ParamScope design (\"format\": \"" + std::string(kDesignFormat)
            + "\") nor a Hugging Face config.json (\"model_type\")" };
}

Result<Design> loadSource(const std::string& source, const LoadOptions& options)
{
    if (source.empty())
        return Error { "", "no source given (a preset name or a file)" };
    if (const Preset* p = findPreset(source); p && !fs::exists(source))
        return loadText(p->json, "preset " + std::string(p->name), options);

    std::error_code ec;
    std::string path = source;
    if (fs::is_directory(path, ec)) {
        const fs::path config = fs::path(path) / "config.json";
        if (!fs::is_regular_file(config, ec))
            return Error { path, "is a folder with no config.json in it" };
        path = config.string();
    } else if (!fs::exists(path, ec)) {
        std::string names;
        for (const auto& p : presets())
            names += (names.empty() ? "" : ", ") + std::string(p.name);
        return Error { source, "no such file or preset (presets: " + names + ")" };
    }
    auto text = readFile(path);
    if (!text)
        return text.error();
    return loadText(*text, path, options);
}

} // namespace paramscope::core
