// SPDX-License-Identifier: MIT
#pragma once

// paramscope-cli run as a user runs it, for the tests that check its output and exit codes.

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace paramscope::test {

/// What one run of paramscope-cli gave: its exit code (-1 when it crashed or did not finish in
/// time), standard output and standard error.
struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs paramscope-cli with @p args, waiting at most a minute (a hang is a failure, not a wait).
inline Run cli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(PARAMSCOPE_CLI), args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

} // namespace paramscope::test
