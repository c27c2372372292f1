// SPDX-License-Identifier: MIT
#include "sizingfigures.h"

#include "report.h"

namespace paramscope::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QString digits(core::Count n)
{
    return qs(core::groupDigits(n));
}

SizingRow bytesRow(QString key, QString label, core::Count bytes, QString note = {})
{
    return { std::move(key), std::move(label), digits(bytes), QStringLiteral("bytes"),
        QStringLiteral("%1 · %2").arg(qs(core::binaryBytesText(bytes)), qs(core::decimalBytesText(bytes))),
        std::move(note) };
}

SizingRow countRow(QString key, QString label, core::Count n, QString unit, QString note = {})
{
    // Below ten thousand the compact form is the number again.
    return { std::move(key), std::move(label), digits(n), std::move(unit),
        n < 10000 ? QString() : qs(core::compactCount(n)), std::move(note) };
}

SizingRow detailRow(QString key, QString label)
{
    return { std::move(key), std::move(label), {}, {}, {}, {} };
}

QString bitsText(core::Count milliBits)
{
    return milliBits % 1000 == 0 ? QString::number(milliBits / 1000)
                                 : QString::number(static_cast<double>(milliBits) / 1000.0);
}

} // namespace

std::vector<SizingSection> sizingSections(const core::MemoryReport& m, const core::FlopsReport& fr)
{
    const core::SizingConventions& conventions = core::sizingConventions();
    const QString at = QStringLiteral("%1 tokens × batch %2").arg(digits(m.context), digits(m.batch));
    std::vector<SizingSection> out;

    SizingSection weights { QStringLiteral("weights"),
        QStringLiteral("Weights — %1, %2 bits per weight")
            .arg(qs(m.weights.dtype.name), bitsText(m.weights.dtype.milliBits)),
        {}, qs(conventions.weights) };
    weights.rows.push_back(bytesRow(QStringLiteral("weights"), QStringLiteral("Total"), m.weights.bytes,
        QStringLiteral("%1 parameters").arg(digits(m.parameters))));
    weights.rows.back().headline = true;
    for (std::size_t c = 0; c < core::kComponentCount; ++c) {
        if (m.weights.byComponent[c] > 0) {
            const auto component = static_cast<core::Component>(c);
            weights.rows.push_back(
                bytesRow(QStringLiteral("weights.") + qs(std::string(core::componentName(component))),
                    qs(std::string(core::componentLabel(component))), m.weights.byComponent[c]));
        }
    }
    out.push_back(std::move(weights));

    SizingSection kv { QStringLiteral("kv"), QStringLiteral("KV cache — %1").arg(qs(m.kvDtype.name)), {},
        qs(conventions.kvCache) };
    kv.rows.push_back(bytesRow(QStringLiteral("kv.perToken"), QStringLiteral("Per token"), m.kvPerToken,
        QStringLiteral("one sequence, every layer")));
    kv.rows.push_back(bytesRow(QStringLiteral("kv.bytes"), QStringLiteral("At ") + at, m.kvBytes));
    kv.rows.back().headline = true;
    if (m.compressed) {
        kv.rows.push_back(bytesRow(QStringLiteral("kv.uncompressedPerToken"), QStringLiteral("Uncompressed, per token"),
            m.kvUncompressedPerToken, QStringLiteral("what the latent stands for")));
        kv.rows.push_back(bytesRow(
            QStringLiteral("kv.uncompressed"), QStringLiteral("Uncompressed, at ") + at, m.kvUncompressedBytes));
        kv.convention += QStringLiteral(". Uncompressed: ") + qs(conventions.kvUncompressed);
    }
    for (std::size_t i = 0; i < m.attention.size(); ++i) {
        const core::AttentionGroup& g = m.attention[i];
        if (g.cache == 0 && g.uncompressed == 0) {
            // An encoder's self-attention (T5, BART): it reads the whole input once and keeps nothing.
            kv.rows.push_back(detailRow(QStringLiteral("kv.layers.%1").arg(i),
                QStringLiteral("%1: %2 layers, nothing cached").arg(qs(g.path), digits(g.layers))));
            continue;
        }
        QString text
            = QStringLiteral("%1: %2 × %3 values per token").arg(qs(g.path), digits(g.layers), digits(g.cache));
        if (g.uncompressed != g.cache)
            text += QStringLiteral(" (uncompressed %1)").arg(digits(g.uncompressed));
        text += g.window > 0 ? QStringLiteral(", sliding window of %1 tokens").arg(digits(g.window))
                             : QStringLiteral(", whole context");
        kv.rows.push_back(detailRow(QStringLiteral("kv.layers.%1").arg(i), text));
    }
    if (m.attention.empty())
        kv.rows.push_back(
            detailRow(QStringLiteral("kv.layers"), QStringLiteral("No decoder attention layer: no cache")));
    if (!m.cross.empty()) {
        kv.rows.push_back(bytesRow(QStringLiteral("kv.crossPerToken"),
            QStringLiteral("Cross-attention, per encoder token"), m.crossPerToken, QStringLiteral("once per input")));
        kv.rows.push_back(bytesRow(QStringLiteral("kv.cross"),
            QStringLiteral("Cross-attention, at %1 encoder tokens × batch %2")
                .arg(qs(core::groupDigits(m.encoderContext)), qs(core::groupDigits(m.batch))),
            m.crossBytes));
        for (std::size_t i = 0; i < m.cross.size(); ++i) {
            const core::AttentionGroup& g = m.cross[i];
            kv.rows.push_back(detailRow(QStringLiteral("kv.crossLayers.%1").arg(i),
                QStringLiteral("%1: %2 × %3 values per encoder token")
                    .arg(qs(g.path), digits(g.layers), digits(g.cache))));
        }
        kv.convention += QStringLiteral(". Cross-attention: ") + qs(conventions.crossCache);
    }
    if (!m.states.empty()) {
        kv.rows.push_back(bytesRow(QStringLiteral("kv.statePerSequence"), QStringLiteral("SSM state, per sequence"),
            m.statePerSequence, QStringLiteral("whatever the context")));
        kv.rows.push_back(bytesRow(
            QStringLiteral("kv.state"), QStringLiteral("SSM state, batch %1").arg(digits(m.batch)), m.stateBytes));
        for (std::size_t i = 0; i < m.states.size(); ++i) {
            const core::StateGroup& g = m.states[i];
            kv.rows.push_back(detailRow(QStringLiteral("kv.stateLayers.%1").arg(i),
                QStringLiteral("%1: %2 × %3 values per sequence")
                    .arg(qs(g.path), digits(g.layers), digits(g.elements))));
        }
        kv.convention += QStringLiteral(". SSM state: ") + qs(conventions.state);
    }
    out.push_back(std::move(kv));

    const core::TrainingMemory& t = m.training;
    SizingSection training { QStringLiteral("training"), QStringLiteral("Training — mixed-precision Adam, 16 B/param"),
        {}, qs(conventions.training) + QStringLiteral(". ") + qs(core::zeroShardingText(t.zeroStage)) };
    training.rows.push_back(bytesRow(QStringLiteral("training.total"), QStringLiteral("All states"), t.total));
    training.rows.back().headline = true;
    training.rows.push_back(bytesRow(QStringLiteral("training.perDevice"),
        QStringLiteral("Per device, ZeRO-%1 over %2").arg(t.zeroStage).arg(digits(t.devices)), t.perDevice));
    training.rows.push_back(
        bytesRow(QStringLiteral("training.weights"), QStringLiteral("  weights (bf16)"), t.weights));
    training.rows.push_back(
        bytesRow(QStringLiteral("training.gradients"), QStringLiteral("  gradients (bf16)"), t.gradients));
    training.rows.push_back(bytesRow(
        QStringLiteral("training.optimizer"), QStringLiteral("  master weights and moments (fp32)"), t.optimizer));
    out.push_back(std::move(training));

    const core::Flops& f = fr.flops;
    SizingSection compute { QStringLiteral("compute"), QStringLiteral("Compute"), {},
        QStringLiteral("Forward: %1. Training: %2 (%3). Compute-optimal: %4 (%5).")
            .arg(qs(conventions.forward), qs(conventions.trainingFlopsFormula), qs(conventions.trainingFlops),
                qs(conventions.optimalFormula), qs(conventions.optimal)) };
    compute.rows.push_back(countRow(QStringLiteral("flops.forward"),
        QStringLiteral("Forward FLOPs per token at %1").arg(digits(f.context)), f.forwardPerToken,
        QStringLiteral("FLOPs"), qs(conventions.forwardFormula)));
    compute.rows.back().headline = true;
    compute.rows.push_back(
        countRow(QStringLiteral("flops.weightTerm"), QStringLiteral("  2N"), f.weightTerm, QStringLiteral("FLOPs"),
            QStringLiteral("N = %1 %2")
                .arg(digits(f.nonEmbedding),
                    f.sparse ? QStringLiteral("active non-embedding") : QStringLiteral("non-embedding"))));
    compute.rows.push_back(countRow(QStringLiteral("flops.attentionTerm"), QStringLiteral("  2·n_layer·n_ctx·d_attn"),
        f.attentionTerm, QStringLiteral("FLOPs")));
    if (!fr.cross.empty()) {
        compute.rows.push_back(countRow(QStringLiteral("flops.crossAttentionTerm"),
            QStringLiteral("  ") + qs(conventions.crossFlopsFormula), f.crossAttentionTerm, QStringLiteral("FLOPs"),
            QStringLiteral("n_enc = %1").arg(digits(f.context))));
        compute.convention += QStringLiteral(" Cross-attention: ") + qs(conventions.crossFlops) + QLatin1Char('.');
    }
    compute.rows.push_back(countRow(QStringLiteral("flops.tokens"),
        f.tokensGiven ? QStringLiteral("Training tokens") : QStringLiteral("Training tokens (compute-optimal)"),
        f.tokens, QStringLiteral("tokens")));
    SizingRow trainingFlops { QStringLiteral("flops.training"), QStringLiteral("Training FLOPs"), {},
        QStringLiteral("FLOPs"), {}, qs(conventions.trainingFlopsFormula) };
    {
        // Beyond 64 bits for real models: the exact decimal digits, grouped.
        const std::string d = core::decimalText(f.trainingFlops);
        QString grouped;
        for (std::size_t i = 0; i < d.size(); ++i) {
            if (i > 0 && (d.size() - i) % 3 == 0)
                grouped += QLatin1Char(',');
            grouped += QLatin1Char(d[i]);
        }
        trainingFlops.exact = grouped;
        trainingFlops.human = QString::number(core::approximate(f.trainingFlops), 'g', 3);
    }
    compute.rows.push_back(trainingFlops);
    compute.rows.push_back(countRow(QStringLiteral("flops.optimal"), QStringLiteral("Compute-optimal tokens"),
        f.optimalTokens, QStringLiteral("tokens"), qs(conventions.optimalFormula)));
    out.push_back(std::move(compute));

    for (std::size_t i = 0; i < m.fits.size(); ++i) {
        const core::DeviceFit& d = m.fits[i];
        const QString prefix = i == 0 ? QStringLiteral("fits.") : QStringLiteral("fits%1.").arg(i);
        SizingSection fits { prefix.chopped(1),
            QStringLiteral("Fits on one %1 device (%2 bytes)").arg(qs(core::gbText(d.bytes)), digits(d.bytes)), {},
            qs(conventions.fits) };
        fits.rows.push_back(
            bytesRow(prefix + QStringLiteral("inference"), QStringLiteral("Weights + KV cache at ") + at, d.inference,
                d.inferenceFits
                    ? QStringLiteral("fits")
                    : (d.weightsFit ? QStringLiteral("does not fit") : QStringLiteral("weights alone do not fit"))));
        fits.rows.back().headline = true;
        if (d.weightsFit) {
            fits.rows.push_back(countRow(prefix + QStringLiteral("context"),
                QStringLiteral("Largest context at batch %1").arg(digits(m.batch)), d.largestContext,
                QStringLiteral("tokens"),
                d.largestContext == d.contextCap ? QStringLiteral("the cap (P = %1)").arg(digits(d.contextCap))
                                                 : QString()));
            fits.rows.push_back(countRow(prefix + QStringLiteral("batch"),
                QStringLiteral("Largest batch at %1 tokens").arg(digits(m.context)), d.largestBatch,
                QStringLiteral("sequences")));
        }
        if (d.trainingDevices)
            fits.rows.push_back(countRow(prefix + QStringLiteral("devices"),
                QStringLiteral("Devices to train, ZeRO-%1").arg(d.trainingStage), *d.trainingDevices,
                QStringLiteral("devices"), QStringLiteral("states only, no activations: a lower bound")));
        else
            fits.rows.push_back(
                { prefix + QStringLiteral("devices"), QStringLiteral("Devices to train, ZeRO-%1").arg(d.trainingStage),
                    QStringLiteral("—"), {}, {}, QStringLiteral("no number of such devices holds the states") });
        out.push_back(std::move(fits));
    }
    return out;
}

} // namespace paramscope::ui
