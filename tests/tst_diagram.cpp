// SPDX-License-Identifier: MIT
// The architecture diagram: what it draws for GPT-2, Llama, Mixtral and Gemma 3 (the familiar
// block order whatever the tree's order), that boxes never overlap, that a click finds the module,
// that it follows a slider, and its SVG, PDF and PNG exports. Counts are derived by hand.
#include "clirun.h"
#include "diagram.h"
#include "diagramrender.h"
#include "diagramwidget.h"
#include "document.h"
#include "testutil.h"

#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace paramscope;
using core::Count;
using ui::Diagram;
using ui::DiagramBox;
using Kind = ui::DiagramBox::Kind;

namespace {

Diagram diagramOf(const char* source)
{
    const core::Counted c = test::countSource(source);
    return ui::buildDiagram(c, QString::fromStdString(c.design.name));
}

/// The kinds of the boxes inside the block frame, top to bottom: n norm, a attention, m MLP,
/// + residual add, ? anything else.
QString blockKinds(const Diagram& d)
{
    QList<std::pair<double, Kind>> inside;
    for (const DiagramBox& b : d.boxes)
        if (d.frames.front().rect.contains(b.rect))
            inside.append({ b.rect.top(), b.kind });
    std::sort(inside.begin(), inside.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    QString out;
    for (const auto& [y, k] : inside)
        out += k == Kind::Norm                     ? QLatin1Char('n')
            : k == Kind::Attention                 ? QLatin1Char('a')
            : k == Kind::Mlp || k == Kind::Experts ? QLatin1Char('m')
            : k == Kind::Residual                  ? QLatin1Char('+')
                                                   : QLatin1Char('?');
    return out;
}

const DiagramBox* boxTitled(const Diagram& d, const QString& prefix)
{
    for (const DiagramBox& b : d.boxes)
        if (b.title.startsWith(prefix))
            return &b;
    return nullptr;
}

QString grouped(Count n)
{
    return QLocale(QLocale::English).toString(qlonglong(n));
}

std::string beyond(const char* file)
{
    return test::dataPath(std::string("hf-beyond/") + file);
}

/// The kinds of the boxes inside @p frame, top to bottom (as blockKinds; c a cross-attention).
QString frameKinds(const Diagram& d, const ui::DiagramFrame& frame)
{
    QList<std::pair<double, const DiagramBox*>> inside;
    for (const DiagramBox& b : d.boxes)
        if (frame.rect.contains(b.rect))
            inside.append({ b.rect.top(), &b });
    std::sort(inside.begin(), inside.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    QString out;
    for (const auto& [y, b] : inside)
        out += b->component == core::Component::CrossAttention ? QLatin1Char('c')
            : b->kind == Kind::Norm                            ? QLatin1Char('n')
            : b->kind == Kind::Attention                       ? QLatin1Char('a')
            : b->kind == Kind::Mlp                             ? QLatin1Char('m')
            : b->kind == Kind::Residual                        ? QLatin1Char('+')
                                                               : QLatin1Char('?');
    return out;
}

/// The boxes inside @p frame of component @p c.
std::vector<const DiagramBox*> boxesIn(const Diagram& d, const ui::DiagramFrame& frame, core::Component c)
{
    std::vector<const DiagramBox*> out;
    for (const DiagramBox& b : d.boxes)
        if (frame.rect.contains(b.rect) && b.component == c)
            out.push_back(&b);
    return out;
}

} // namespace

class TestDiagram : public QObject {
    Q_OBJECT

private slots:
    void gpt2()
    {
        const Diagram d = diagramOf("gpt2");
        QCOMPARE(d.title, QStringLiteral("GPT-2 small · 124,439,808 parameters"));
        QCOMPARE(d.frames.size(), std::size_t(1));
        QCOMPARE(d.frames.front().label, QStringLiteral("12 × GPT2Block   (L = 12)"));
        // One block, 12E² + 13E at E = 768, twelve times.
        QVERIFY2(d.frames.front().detail.startsWith(grouped(12 * 768 * 768 + 13 * 768) + QStringLiteral(" each · ")
                     + grouped(12 * (12 * 768 * 768 + 13 * 768)) + QStringLiteral(" in all")),
            qPrintable(d.frames.front().detail));
        // Pre-norm: LayerNorm, attention, add; LayerNorm, MLP, add.
        QCOMPARE(blockKinds(d), QStringLiteral("na+nm+"));
        const DiagramBox* attn = boxTitled(d, QStringLiteral("attn: "));
        QVERIFY(attn);
        QCOMPARE(attn->formula, QStringLiteral("4E² + 4E = ") + grouped(4 * 768 * 768 + 4 * 768));
        QCOMPARE(attn->detail, QStringLiteral("H = 12 heads · D = 64 per head"));
        QCOMPARE(attn->chips.size(), std::size_t(2)); // c_attn, c_proj
        // Token and position embeddings, added; the head shares wte's weight.
        QVERIFY(boxTitled(d, QStringLiteral("wte: ")) && boxTitled(d, QStringLiteral("wpe: ")));
        const DiagramBox* head = boxTitled(d, QStringLiteral("lm_head: "));
        QVERIFY(head && head->tied);
        QVERIFY(std::any_of(d.arrows.begin(), d.arrows.end(), [](const auto& a) { return a.dashed; }));
    }

    void blockOrder_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QString>("kinds");
        // Llama's tree lists self_attn, mlp, then both norms: drawn in the order data flows.
        QTest::newRow("llama-3-8b") << QByteArray("llama-3-8b") << QStringLiteral("na+nm+");
        // Gemma 3: a norm before and after both attention and MLP.
        QTest::newRow("gemma-3-4b") << QByteArray("gemma-3-4b") << QStringLiteral("nan+nmn+");
    }

    void blockOrder()
    {
        QFETCH(QByteArray, source);
        QFETCH(QString, kinds);
        QCOMPARE(blockKinds(diagramOf(source.constData())), kinds);
    }

    void mixtralExperts()
    {
        const Diagram d = diagramOf("mixtral-8x7b");
        const DiagramBox* moe = boxTitled(d, QStringLiteral("block_sparse_moe: "));
        QVERIFY(moe);
        // One expert: three bias-free projections, 3·E·F = 3 · 4096 · 14336.
        QCOMPARE(moe->detail,
            QStringLiteral("8 routed experts, 2 per token · one expert 3EF = ") + grouped(3 * Count(4096) * 14336));
        QStringList chips;
        for (const auto& c : moe->chips)
            chips << c.text;
        QVERIFY2(chips.join(QLatin1Char('|')).contains(QStringLiteral("gate (router)")),
            qPrintable(chips.join(QLatin1Char(','))));
        QVERIFY2(
            chips.join(QLatin1Char('|')).contains(QStringLiteral("experts: 8 × MixtralBlockSparseTop2MLP, 2 active")),
            qPrintable(chips.join(QLatin1Char(','))));
        const DiagramBox* attn = boxTitled(d, QStringLiteral("self_attn: "));
        QVERIFY(attn);
        QCOMPARE(attn->detail, QStringLiteral("H = 32 heads · K = 8 KV heads (GQA, 4 per group) · D = 128 per head"));
        QVERIFY(d.subtitle.startsWith(grouped(12879925248) + QStringLiteral(" active per token")));
    }

    void gemmaVision()
    {
        const Diagram d = diagramOf("gemma-3-4b");
        const DiagramBox* vision = nullptr;
        const DiagramBox* projector = nullptr;
        for (const DiagramBox& b : d.boxes) {
            if (b.kind == Kind::Vision)
                vision = &b;
            if (b.kind == Kind::Projector)
                projector = &b;
        }
        QVERIFY(vision && projector);
        QCOMPARE(vision->title, QStringLiteral("vision_tower"));
        QVERIFY2(vision->detail.startsWith(QStringLiteral("SiglipVisionModel · layers of layer_norm1, self_attn")),
            qPrintable(vision->detail));
        // The tower's 27 encoder layers are named in it; it sits beside the text model, above the projector.
        bool layers = false;
        for (const auto& c : vision->chips)
            layers = layers || c.text.startsWith(QStringLiteral("27 × SiglipEncoderLayer"));
        QVERIFY(layers);
        QVERIFY(vision->rect.bottom() < projector->rect.top());
        QVERIFY(vision->rect.right() < d.frames.front().rect.left());
    }

    void gemma4Inputs()
    {
        // Gemma 4 E2B: the image and the audio encoder, each with its projector, and the per-layer
        // inputs, all in the column beside the text model; each feeds it with an arrow of its own.
        const Diagram d = diagramOf("gemma-4-e2b");
        auto titled = [&](const char* title) {
            for (const DiagramBox& b : d.boxes)
                if (b.title == QLatin1String(title))
                    return &b;
            return static_cast<const DiagramBox*>(nullptr);
        };
        const DiagramBox* vision = titled("vision_tower");
        const DiagramBox* audio = titled("audio_tower");
        const DiagramBox* embedAudio = titled("embed_audio");
        const DiagramBox* table = titled("embed_tokens_per_layer");
        QVERIFY(vision && audio && embedAudio && table);
        QCOMPARE(audio->component, paramscope::core::Component::Audio);
        QCOMPARE(audio->kind, Kind::Vision);
        QVERIFY(vision->rect.bottom() < audio->rect.top());
        QVERIFY(audio->rect.bottom() < embedAudio->rect.top());
        QVERIFY(embedAudio->rect.bottom() < table->rect.top());
        for (const DiagramBox* b : { audio, embedAudio, table })
            QVERIFY(b->rect.right() < d.frames.front().rect.left());
        QStringList arrows;
        for (const auto& a : d.arrows)
            if (!a.label.isEmpty())
                arrows << a.label;
        arrows.sort();
        QCOMPARE(arrows.join(u','), QStringLiteral("audio tokens,image tokens,per-layer inputs,tied"));
        // A literal repeat is not spelled twice ("4 × … (4 = 4)").
        QCOMPARE(d.frames.front().label, QStringLiteral("4 × period of 5 layers"));
    }

    void geometry_data()
    {
        QTest::addColumn<QByteArray>("source");
        for (const char* p :
            { "gpt2", "bert-base", "llama-3-8b", "mixtral-8x7b", "gemma-3-4b", "deepseek-v3", "gemma-4-e2b" })
            QTest::newRow(p) << QByteArray(p);
        for (const char* p : { "google-t5__t5-base.json", "facebook__bart-base.json", "facebook__mbart-large-cc25.json",
                 "google__umt5-small.json", "google__flan-t5-small.json" })
            QTest::newRow(p) << QByteArray(beyond(p).c_str());
    }

    void geometry()
    {
        // Inside the page, no two boxes overlap, chips sit in their box, and a click on any box
        // (or chip) finds its module.
        QFETCH(QByteArray, source);
        const Diagram d = diagramOf(source.constData());
        const QRectF page(QPointF(0, 0), d.size);
        QVERIFY(!d.boxes.empty());
        for (std::size_t i = 0; i < d.boxes.size(); ++i) {
            const DiagramBox& b = d.boxes[i];
            QVERIFY2(page.contains(b.rect), qPrintable(b.title));
            for (std::size_t j = i + 1; j < d.boxes.size(); ++j)
                QVERIFY2(!b.rect.intersects(d.boxes[j].rect),
                    qPrintable(b.title + QStringLiteral(" / ") + d.boxes[j].title));
            for (const auto& c : b.chips) {
                QVERIFY2(b.rect.contains(c.rect), qPrintable(c.text));
                QCOMPARE(d.nodeAt(c.rect.center()), c.node);
            }
            if (b.node >= 0 && b.chips.empty())
                QCOMPARE(d.nodeAt(b.rect.center()), b.node);
        }
        for (const auto& a : d.arrows)
            for (const QPointF& p : a.points)
                QVERIFY(page.contains(p));
    }

    void exports()
    {
        QTemporaryDir dir;
        const Diagram d = diagramOf("gpt2");
        QString error;
        QVERIFY2(ui::exportDiagram(d, dir.filePath(QStringLiteral("d.svg")), 2, &error), qPrintable(error));
        QVERIFY2(ui::exportDiagram(d, dir.filePath(QStringLiteral("d.pdf")), 2, &error), qPrintable(error));
        QVERIFY2(ui::exportDiagram(d, dir.filePath(QStringLiteral("d.png")), 2, &error), qPrintable(error));
        QFile svg(dir.filePath(QStringLiteral("d.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.startsWith("<?xml"));
        QVERIFY(text.contains("<svg"));
        QFile pdf(dir.filePath(QStringLiteral("d.pdf")));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        const QImage png(dir.filePath(QStringLiteral("d.png")));
        QCOMPARE(png.size(), (d.size * 2).toSize());
        // A white page with something drawn on it.
        QCOMPARE(png.pixelColor(1, 1), QColor(Qt::white));
        QVERIFY(!ui::exportDiagram(d, dir.filePath(QStringLiteral("d.bmp")), 2, &error));
        QVERIFY2(error.contains(QStringLiteral(".svg, .pdf or .png")), qPrintable(error));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("d.bmp"))));
    }

    void cliDiagram()
    {
        using test::cli;
        QTemporaryDir dir;
        for (const char* suffix : { "svg", "pdf", "png" }) {
            const QString out = dir.filePath(QStringLiteral("gemma.") + QLatin1String(suffix));
            const auto run
                = cli({ QStringLiteral("diagram"), QStringLiteral("gemma-3-4b"), QStringLiteral("--out"), out });
            QCOMPARE(run.exitCode, 0);
            QVERIFY(run.out.isEmpty() && run.err.isEmpty());
            QVERIFY(QFileInfo(out).size() > 1000);
        }
        // --set reaches the picture: L = 48 layers.
        const QString svg = dir.filePath(QStringLiteral("l48.svg"));
        QCOMPARE(cli({ QStringLiteral("diagram"), QStringLiteral("gpt2"), QStringLiteral("--set"),
                         QStringLiteral("L=48"), QStringLiteral("--out"), svg })
                     .exitCode,
            0);
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("48 × GPT2Block"));
        auto run = cli({ QStringLiteral("diagram"), QStringLiteral("gpt2"), QStringLiteral("--out"),
            dir.filePath(QStringLiteral("d.bmp")) });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("the diagram is written as .svg, .pdf or .png"), run.err.constData());
        run = cli({ QStringLiteral("diagram"), QStringLiteral("gpt2") });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("no --out FILE"), run.err.constData());
    }

    void t5EncoderDecoder()
    {
        // T5-base: d_model E 768, 12 heads × d_kv 64, d_ff 3072, vocab 32128, 12 + 12 layers, pre-norm
        // (T5LayerNorm, weight only), head tied to `shared`. Per layer: q, k, v, o 4·768·768.
        const Count attention = 4 * Count(768) * 768; // 2,359,296
        const Count ffn = 2 * Count(768) * 3072; // wi, wo: 4,718,592
        const Count encoderLayer = attention + ffn + 2 * 768; // 7,079,424
        const Count decoderLayer = 2 * attention + ffn + 3 * 768; // 9,439,488
        const Count bias = 32 * 12; // relative_attention_bias: 32 buckets × 12 heads, layer 0 only
        const Count shared = 32128 * Count(768);
        QCOMPARE(12 * encoderLayer + 12 * decoderLayer + 2 * 768 + 2 * bias + shared, Count(222903552));

        const core::Counted c = test::countSource(beyond("google-t5__t5-base.json"));
        const Diagram d = ui::buildDiagram(c, QStringLiteral("t5-base"));
        QCOMPARE(d.title, QStringLiteral("t5-base · 222,903,552 parameters"));
        // Two stacks side by side, the encoder on the left.
        QCOMPARE(d.frames.size(), std::size_t(2));
        const ui::DiagramFrame& enc = d.frames[0];
        const ui::DiagramFrame& dec = d.frames[1];
        QVERIFY(enc.rect.right() < dec.rect.left());
        QCOMPARE(enc.label, QStringLiteral("12 × T5Block"));
        QCOMPARE(dec.label, QStringLiteral("12 × T5Block"));
        // Layer 0 holds the bias too; the stack's layers in all: 12 layers + the bias.
        QVERIFY2(enc.detail.startsWith(grouped(encoderLayer) + QStringLiteral(" each (0: ")
                     + grouped(encoderLayer + bias) + QStringLiteral(") · ") + grouped(12 * encoderLayer + bias)),
            qPrintable(enc.detail));
        QVERIFY2(dec.detail.startsWith(grouped(decoderLayer) + QStringLiteral(" each (0: ")
                     + grouped(decoderLayer + bias) + QStringLiteral(") · ") + grouped(12 * decoderLayer + bias)),
            qPrintable(dec.detail));
        // Pre-norm sub-layers: norm, self-attention, add; (decoder: norm, cross-attention, add;) norm, FFN, add.
        QCOMPARE(frameKinds(d, enc), QStringLiteral("na+nm+"));
        QCOMPARE(frameKinds(d, dec), QStringLiteral("na+nc+nm+"));
        // The cross-attention is in the decoder block only.
        QVERIFY(boxesIn(d, enc, core::Component::CrossAttention).empty());
        const auto cross = boxesIn(d, dec, core::Component::CrossAttention);
        QCOMPARE(cross.size(), std::size_t(1));
        QCOMPARE(cross.front()->formula, QStringLiteral("4EDH = ") + grouped(attention));
        // Counted over the 12 layers: 12 · 2,359,296 = 28,311,552 (28.31M), 12.70 % of the total.
        QVERIFY2(
            cross.front()->share.startsWith(QStringLiteral("× 12 = 28.31M · 12.7")), qPrintable(cross.front()->share));
        for (const ui::DiagramFrame* f : { &enc, &dec }) {
            const auto self = boxesIn(d, *f, core::Component::Attention);
            QCOMPARE(self.size(), std::size_t(1));
            QCOMPARE(self.front()->formula, QStringLiteral("4EDH = ") + grouped(attention));
            // The relative attention bias, noted as layer 0's, clickable.
            const auto bias
                = std::find_if(self.front()->chips.begin(), self.front()->chips.end(), [](const ui::DiagramChip& chip) {
                      return chip.text.contains(QStringLiteral("relative_attention_bias"));
                  });
            QVERIFY(bias != self.front()->chips.end());
            QVERIFY2(bias->text.startsWith(QStringLiteral("layer 0 only")), qPrintable(bias->text));
            QVERIFY(bias->text.endsWith(QStringLiteral("HB = 384")));
            QCOMPARE(
                c.design.nodes()[static_cast<std::size_t>(bias->node)]->name, std::string("relative_attention_bias"));
            const auto mlp = boxesIn(d, *f, core::Component::Mlp);
            QCOMPARE(mlp.size(), std::size_t(1));
            QCOMPARE(mlp.front()->formula, QStringLiteral("2EF = ") + grouped(ffn));
        }
        // The encoder's output reaches the decoder's cross-attention box.
        const auto out = std::find_if(d.arrows.begin(), d.arrows.end(),
            [](const ui::DiagramArrow& a) { return a.label.startsWith(QStringLiteral("encoder output")); });
        QVERIFY(out != d.arrows.end());
        QVERIFY(out->points.front().x() < enc.rect.right());
        QCOMPARE(out->points.back(), QPointF(cross.front()->rect.left(), cross.front()->rect.center().y()));
        // One shared embedding feeding both stacks, whose embed_tokens are ties (no addition).
        const DiagramBox* sharedBox = boxTitled(d, QStringLiteral("shared: "));
        QVERIFY(sharedBox && !sharedBox->tied);
        QCOMPARE(sharedBox->formula, QStringLiteral("VE = ") + grouped(shared));
        int tiedInputs = 0;
        for (const DiagramBox& b : d.boxes) {
            if (b.title.startsWith(QStringLiteral("embed_tokens: "))) {
                QVERIFY(b.tied);
                ++tiedInputs;
            }
            // No ⊕ outside the blocks: nothing is added to the token embeddings.
            if (b.kind == Kind::Residual)
                QVERIFY(enc.rect.contains(b.rect) || dec.rect.contains(b.rect));
        }
        QCOMPARE(tiedInputs, 2);
        QCOMPARE(std::count_if(d.arrows.begin(), d.arrows.end(),
                     [](const ui::DiagramArrow& a) { return a.label == QStringLiteral("shared") && a.dashed; }),
            2);
        // Final norms under each stack; the tied head under the decoder.
        int finals = 0;
        for (const DiagramBox& b : d.boxes)
            if (b.title.startsWith(QStringLiteral("final_layer_norm"))) {
                ++finals;
                QVERIFY(b.rect.top() > enc.rect.bottom() || b.rect.top() > dec.rect.bottom());
            }
        QCOMPARE(finals, 2);
        const DiagramBox* head = boxTitled(d, QStringLiteral("lm_head: "));
        QVERIFY(head && head->tied);
        QVERIFY(head->rect.left() >= dec.rect.left() && head->rect.top() > dec.rect.bottom());
    }

    void bartEncoderDecoder()
    {
        // BART-base: E 768, 12 heads, F 3072, 6 + 6 layers, post-norm (LayerNorm after each add).
        // Attention: 4E² + 4E = 2,362,368; fc1 E·F + F, fc2 F·E + E: 4,722,432.
        const Count attention = 4 * Count(768) * 768 + 4 * 768;
        const Count ffn = 2 * Count(768) * 3072 + 3072 + 768;
        const Diagram d = diagramOf(beyond("facebook__bart-base.json").c_str());
        QCOMPARE(d.frames.size(), std::size_t(2));
        const ui::DiagramFrame& enc = d.frames[0];
        const ui::DiagramFrame& dec = d.frames[1];
        QVERIFY(enc.rect.right() < dec.rect.left());
        QCOMPARE(enc.label, QStringLiteral("6 × BartEncoderLayer   (L = 6)"));
        QCOMPARE(dec.label, QStringLiteral("6 × BartDecoderLayer   (Ld = 6)"));
        QCOMPARE(frameKinds(d, enc), QStringLiteral("a+nm+n"));
        QCOMPARE(frameKinds(d, dec), QStringLiteral("a+nc+nm+n"));
        QVERIFY(boxesIn(d, enc, core::Component::CrossAttention).empty());
        const auto cross = boxesIn(d, dec, core::Component::CrossAttention);
        QCOMPARE(cross.size(), std::size_t(1));
        QCOMPARE(cross.front()->formula, QStringLiteral("4E² + 4E = ") + grouped(attention));
        // fc1 and fc2 drawn as one feed-forward box, one chip each; six copies.
        const auto mlp = boxesIn(d, enc, core::Component::Mlp);
        QCOMPARE(mlp.size(), std::size_t(1));
        QVERIFY2(mlp.front()->formula.endsWith(QStringLiteral(" = ") + grouped(ffn)), qPrintable(mlp.front()->formula));
        QCOMPARE(mlp.front()->chips.size(), std::size_t(2));
        QVERIFY2(mlp.front()->share.startsWith(QStringLiteral("× 6 = ")), qPrintable(mlp.front()->share));
        // Token and learned position embeddings are added in each stack (two ⊕ outside the blocks).
        int adds = 0;
        for (const DiagramBox& b : d.boxes)
            adds += b.kind == Kind::Residual && !enc.rect.contains(b.rect) && !dec.rect.contains(b.rect);
        QCOMPARE(adds, 2);
    }

    void encoderDecoderExports()
    {
        QTemporaryDir dir;
        const Diagram d = diagramOf(beyond("google-t5__t5-base.json").c_str());
        QString error;
        for (const char* suffix : { "svg", "pdf", "png" })
            QVERIFY2(ui::exportDiagram(d, dir.filePath(QStringLiteral("t5.") + QLatin1String(suffix)), 1, &error),
                qPrintable(error));
        QFile svg(dir.filePath(QStringLiteral("t5.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.contains("EncDecAttention"));
        QCOMPARE(QImage(dir.filePath(QStringLiteral("t5.png"))).size(), d.size.toSize());
        const QString out = dir.filePath(QStringLiteral("cli.png"));
        const auto run = test::cli({ QStringLiteral("diagram"),
            QString::fromStdString(beyond("google-t5__t5-base.json")), QStringLiteral("--out"), out });
        QCOMPARE(run.exitCode, 0);
        QVERIFY(QFileInfo(out).size() > 1000);
    }

    void encoderDecoderWidgetClick()
    {
        ui::Document doc;
        QVERIFY(doc.load(test::load(beyond("google-t5__t5-base.json"))).ok());
        ui::DiagramWidget w(&doc);
        w.resize(1400, 1200);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.diagram().frames.size(), std::size_t(2));
        // A click on the decoder's cross-attention box selects EncDecAttention.
        const DiagramBox* cross = nullptr;
        for (const DiagramBox& b : w.diagram().boxes)
            if (b.component == core::Component::CrossAttention)
                cross = &b;
        QVERIFY(cross && cross->node >= 0);
        QCOMPARE(doc.design().nodes()[static_cast<std::size_t>(cross->node)]->name, std::string("EncDecAttention"));
        QSignalSpy clicked(&w, &ui::DiagramWidget::nodeClicked);
        const QRect r = w.nodeRect(cross->node);
        QVERIFY(!r.isEmpty());
        QTest::mouseClick(&w, Qt::LeftButton, {}, QPoint(r.left() + 6, r.top() + 6));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.front().front().toInt(), cross->node);
    }

    void widgetFollowsAndClicks()
    {
        ui::Document doc;
        QVERIFY(doc.load(test::load("gpt2")).ok());
        ui::DiagramWidget w(&doc);
        w.resize(900, 1200);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.diagram().frames.front().label, QStringLiteral("12 × GPT2Block   (L = 12)"));
        // A slider step: L = 24.
        doc.pushValue("L", 24);
        QCOMPARE(w.diagram().frames.front().label, QStringLiteral("24 × GPT2Block   (L = 24)"));
        QVERIFY(
            w.diagram().title.contains(grouped(50257 * 768 + 1024 * 768 + 24 * (12 * 768 * 768 + 13 * 768) + 2 * 768)));
        // A click on the attention box selects it.
        const int attn = doc.design().find("transformer.h.*.attn")->index;
        QSignalSpy clicked(&w, &ui::DiagramWidget::nodeClicked);
        const QRect r = w.nodeRect(attn);
        QVERIFY(!r.isEmpty());
        QTest::mouseClick(&w, Qt::LeftButton, {}, QPoint(r.left() + 6, r.top() + 6));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.front().front().toInt(), attn);
    }
};

QTEST_MAIN(TestDiagram)
#include "tst_diagram.moc"
