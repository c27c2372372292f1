// SPDX-License-Identifier: MIT
// Replays inputs through a fuzz target without libFuzzer, so that gcc builds (Release, ASan+UBSan)
// run every input the fuzzers ever crashed on. Usage: fuzz_TARGET [-timeout=SECONDS] PATH...
// where each PATH is a file or a folder of files (not recursive). Each input is fed once to
// LLVMFuzzerTestOneInput; a crash or sanitizer report ends the run there, after the input's name
// was printed, and an input slower than the timeout fails the run (a hang must stay fixed). The
// timeout is 10 s, 50 s in a sanitizer build (Debug, ASan: 10-30 times slower); `./dev.sh fuzz`
// replays the same inputs at -timeout=10 in the optimised fuzz build.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

#if defined(__SANITIZE_ADDRESS__)
#define PARAMSCOPE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PARAMSCOPE_SANITIZED 1
#endif
#endif

namespace {

namespace fs = std::filesystem;

#ifdef PARAMSCOPE_SANITIZED
constexpr double kDefaultTimeoutSeconds = 50;
#else
constexpr double kDefaultTimeoutSeconds = 10;
#endif

bool readInput(const fs::path& path, std::vector<char>& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

} // namespace

int main(int argc, char** argv)
{
    double timeoutSeconds = kDefaultTimeoutSeconds;
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("-timeout=", 0) == 0) {
            timeoutSeconds = std::atof(arg.c_str() + 9);
            continue;
        }
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::directory_iterator(arg, ec))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            // A stable order makes a failing run repeatable.
            std::sort(files.begin(), files.end());
            inputs.insert(inputs.end(), files.begin(), files.end());
        } else if (fs::is_regular_file(arg, ec)) {
            inputs.emplace_back(arg);
        } else {
            std::fprintf(stderr, "%s: no such file or folder\n", arg.c_str());
            return 2;
        }
    }

    int slow = 0;
    for (const auto& path : inputs) {
        std::vector<char> bytes;
        if (!readInput(path, bytes)) {
            std::fprintf(stderr, "%s: cannot read\n", path.c_str());
            return 2;
        }
        std::printf("%s (%zu bytes)\n", path.c_str(), bytes.size());
        std::fflush(stdout);
        // An exactly sized copy, so that ASan sees any read past the end (as under libFuzzer).
        auto copy = std::make_unique<std::uint8_t[]>(bytes.size());
        std::copy(bytes.begin(), bytes.end(), copy.get());
        const auto start = std::chrono::steady_clock::now();
        LLVMFuzzerTestOneInput(copy.get(), bytes.size());
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (seconds > timeoutSeconds) {
            std::fprintf(stderr, "%s: took %.1f s, over the %.0f s limit\n", path.c_str(), seconds, timeoutSeconds);
            ++slow;
        }
    }
    std::printf("replayed %zu inputs\n", inputs.size());
    return slow == 0 ? 0 : 1;
}
