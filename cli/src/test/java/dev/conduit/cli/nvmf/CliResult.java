package dev.conduit.cli.nvmf;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.conduit.cli.Main;
import picocli.CommandLine;

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
        final CommandLine cmd = Main.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        final int exitCode = cmd.execute(args);
        return new CliResult(exitCode, out.toString(), err.toString());
    }
}
