// SPDX-License-Identifier: MIT
#include "module.h"

#include <array>
#include <stdexcept>

namespace paramscope::core {

namespace {

struct KindInfo {
    ModuleKind kind;
    std::string_view name;
    std::span<const std::string_view> args;
    bool biasSwitch;
};

constexpr std::array<std::string_view, 2> kEmbeddingArgs { "num", "dim" };
constexpr std::array<std::string_view, 2> kLinearArgs { "in", "out" };
constexpr std::array<std::string_view, 2> kConv1DArgs { "nf", "nx" };
constexpr std::array<std::string_view, 1> kNormArgs { "dim" };
constexpr std::array<std::string_view, 3> kConv2dArgs { "in", "out", "kernel" };
constexpr std::array<std::string_view, 4> kConv1dArgs { "in", "out", "kernel", "groups" };

const std::array<KindInfo, 9> kKinds { {
    { ModuleKind::Container, "Container", {}, false },
    { ModuleKind::Embedding, "Embedding", kEmbeddingArgs, false },
    { ModuleKind::Linear, "Linear", kLinearArgs, true },
    { ModuleKind::Conv1D, "Conv1D", kConv1DArgs, false },
    { ModuleKind::LayerNorm, "LayerNorm", kNormArgs, true },
    { ModuleKind::RMSNorm, "RMSNorm", kNormArgs, false },
    { ModuleKind::Conv2d, "Conv2d", kConv2dArgs, true },
    { ModuleKind::Parameter, "Parameter", {}, false },
    { ModuleKind::Conv1d, "Conv1d", kConv1dArgs, true },
} };

const KindInfo& info(ModuleKind kind)
{
    return kKinds[static_cast<std::size_t>(kind)];
}

} // namespace

Expr expr(const std::string& text)
{
    auto e = Expr::parse(text);
    if (!e)
        throw std::logic_error(e.error().text());
    return *e;
}

std::span<const std::string_view> argumentNames(ModuleKind kind)
{
    return info(kind).args;
}

std::string_view kindName(ModuleKind kind)
{
    return info(kind).name;
}

std::optional<ModuleKind> parseModuleKind(std::string_view name)
{
    for (const auto& k : kKinds)
        if (k.name == name)
            return k.kind;
    return std::nullopt;
}

bool hasBiasSwitch(ModuleKind kind)
{
    return info(kind).biasSwitch;
}

std::unique_ptr<Module> Module::clone() const
{
    auto copy = std::make_unique<Module>();
    copy->name = name;
    copy->type = type;
    copy->kind = kind;
    copy->args = args;
    copy->bias = bias;
    copy->repeat = repeat;
    copy->activeRepeat = activeRepeat;
    copy->tiedTo = tiedTo;
    copy->role = role;
    copy->kv = kv;
    copy->index = index;
    for (const auto& c : children)
        copy->add(c->clone());
    return copy;
}

Module* Module::add(std::unique_ptr<Module> child)
{
    child->parent = this;
    children.push_back(std::move(child));
    return children.back().get();
}

std::unique_ptr<Module> container(std::string name, std::string type)
{
    auto m = std::make_unique<Module>();
    m->name = std::move(name);
    m->type = std::move(type);
    return m;
}

std::unique_ptr<Module> leaf(ModuleKind kind, std::string name, std::vector<std::string> args, bool bias)
{
    auto m = std::make_unique<Module>();
    m->name = std::move(name);
    m->kind = kind;
    m->type = std::string(kindName(kind));
    m->bias = bias;
    for (const auto& a : args)
        m->args.push_back(expr(a));
    return m;
}

} // namespace paramscope::core
