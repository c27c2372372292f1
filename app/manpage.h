// SPDX-License-Identifier: MIT
#pragma once
// A man page in roff (man(7) macros) from plain data. Each binary writes its own page from the
// options it really parses (paramscope-cli docs man, paramscope --man-page), at build time, so the
// installed page cannot drift from --help.
#include <string>
#include <vector>

namespace paramscope::app {

struct ManOption {
    std::string names; ///< "--set" or "-h, --help" or "SOURCE"
    std::string value; ///< "NAME=VALUE"; empty for a flag or a positional argument
    std::string text; ///< what it does, one paragraph
};

struct ManSection {
    std::string title; ///< "DESCRIPTION"; a subsection (.SS) when @c subsection is set
    bool subsection = false;
    /// Paragraphs of plain text. One that starts with two spaces is an example, set as typed.
    std::vector<std::string> paragraphs;
    std::vector<ManOption> options;
};

struct ManPage {
    std::string name; ///< "paramscope-cli"
    std::string version; ///< "0.1.0"
    std::string summary; ///< the NAME line after the dash
    std::vector<std::string> synopsis; ///< one usage line each, starting with the program's name
    std::vector<ManSection> sections;
};

/// The page as roff, for man(1).
std::string roff(const ManPage& page);

} // namespace paramscope::app
