package dev.conduit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import dev.conduit.cli.bench.BenchCommand;
import dev.conduit.cli.doctor.DoctorCommand;
import dev.conduit.cli.store.FormatCommand;
import dev.conduit.cli.store.FsckCommand;
import dev.conduit.cli.store.GetCommand;
import dev.conduit.cli.store.LsCommand;
import dev.conduit.cli.store.PutCommand;
import dev.conduit.cli.store.RmCommand;
import dev.conduit.cli.store.StatCommand;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorDomain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code conduit} command: global options and the list of subcommands.
 *
 * <p>User mistakes and operational failures ({@link ConduitException}, bad arguments) print one
 * line to stderr and exit non-zero; only bugs print a stack trace.
 */
@Command(
    name = "conduit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Moves data from NVMe (local or NVMe/TCP) into GPU memory and serves it as an S3 hot tier.",
    subcommands = {
        DoctorCommand.class,
        FormatCommand.class,
        PutCommand.class,
        GetCommand.class,
        LsCommand.class,
        RmCommand.class,
        StatCommand.class,
        FsckCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable
{
    /** Environment variable naming the data directory. */
    public static final String DATA_ENV = "CONDUIT_DATA";

    @Option(names = "--data", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
        description = "data directory (env ${env:CONDUIT_DATA:-CONDUIT_DATA}; default ./var)")
    private Path dataDir;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** @return the data directory: {@code --data}, then {@code $CONDUIT_DATA}, then {@code ./var}. */
    public Path dataDir()
    {
        if (dataDir != null)
        {
            return dataDir;
        }
        final String env = System.getenv(DATA_ENV);
        return Path.of(env != null && !env.isBlank() ? env : "var");
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Entry point.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns its exit code (tests call this directly).
     *
     * @param args command line.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        return commandLine().execute(args);
    }

    /** @return a configured picocli command line with Conduit's error handling. */
    public static CommandLine commandLine()
    {
        final CommandLine cmd = new CommandLine(new Main());
        // Every subcommand answers --help/--version without each class repeating the mixin.
        cmd.getSubcommands().values().forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
        cmd.setExecutionExceptionHandler(Main::onExecutionException);
        return cmd;
    }

    private static int onExecutionException(
        final Exception ex, final CommandLine cmd, final CommandLine.ParseResult parseResult)
    {
        final PrintWriter err = cmd.getErr();
        if (ex instanceof ConduitException ce)
        {
            final String nativeName = ce.domain() == ErrorDomain.NONE ? "" : " " + ce.nativeName();
            err.println("conduit " + cmd.getCommandName() + ": " + ce.getMessage() + " [" + ce.code() + nativeName + "]");
            err.flush();
            return ExitCodes.of(ce);
        }
        if (ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException)
        {
            err.println("conduit " + cmd.getCommandName() + ": " + ex.getMessage());
            err.flush();
            return ExitCodes.IO_ERROR;
        }
        if (ex instanceof IllegalArgumentException)
        {
            err.println("conduit " + cmd.getCommandName() + ": " + ex.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        throw new IllegalStateException(ex);
    }
}
