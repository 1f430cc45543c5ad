package dev.conduit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/**
 * Exit status, stdout and stderr of one in-process run of a configured {@code conduit} command line.
 *
 * @param exitCode the exit status.
 * @param out      stdout.
 * @param err      stderr.
 */
public record CapturedRun(int exitCode, String out, String err)
{
    /**
     * @param cmd  a command line from {@link Main#commandLine}.
     * @param args its arguments.
     * @return what running them printed and returned.
     */
    public static CapturedRun of(final CommandLine cmd, final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        final int exitCode = cmd.execute(args);
        return new CapturedRun(exitCode, out.toString(), err.toString());
    }
}
