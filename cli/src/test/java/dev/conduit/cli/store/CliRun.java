package dev.conduit.cli.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.conduit.cli.Main;

/**
 * One {@code conduit} invocation in-process through {@link Main#execute}, with stdin, stdout and
 * stderr captured.
 *
 * @param exitCode the exit code.
 * @param stdout   raw stdout bytes.
 * @param stderr   stderr text.
 */
record CliRun(int exitCode, byte[] stdout, String stderr)
{
    static CliRun run(final byte[] stdin, final String... args)
    {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final InputStream savedIn = System.in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try
        {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin));
            final int code = Main.execute(args);
            System.out.flush();
            return new CliRun(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
        }
    }

    static CliRun run(final String... args)
    {
        return run(new byte[0], args);
    }

    String out()
    {
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
