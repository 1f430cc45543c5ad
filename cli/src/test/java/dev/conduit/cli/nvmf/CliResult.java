package dev.conduit.cli.nvmf;

import dev.conduit.cli.CapturedRun;
import dev.conduit.cli.Main;

/**
 * Exit status, stdout and stderr of one in-process {@code conduit} run.
 *
 * @param exitCode the exit status.
 * @param out      stdout.
 * @param err      stderr.
 */
record CliResult(int exitCode, String out, String err)
{
    static CliResult run(final String... args)
    {
        final CapturedRun run = CapturedRun.of(Main.commandLine(), args);
        return new CliResult(run.exitCode(), run.out(), run.err());
    }
}
