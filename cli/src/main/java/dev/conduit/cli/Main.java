package dev.conduit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.conduit.cli.bench.BenchCommand;
import dev.conduit.cli.doctor.DoctorCommand;
import dev.conduit.cli.nvmf.NvmfCommand;
import dev.conduit.cli.serve.ServeCommand;
import dev.conduit.cli.store.AuditCommand;
import dev.conduit.cli.store.FindCommand;
import dev.conduit.cli.store.FormatCommand;
import dev.conduit.cli.store.FsckCommand;
import dev.conduit.cli.store.GetCommand;
import dev.conduit.cli.store.LsCommand;
import dev.conduit.cli.store.PutCommand;
import dev.conduit.cli.store.RmCommand;
import dev.conduit.cli.store.StatCommand;
import dev.conduit.cli.tier.TierCommand;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.ConfigLoader;
import dev.conduit.core.config.ProcessConfig;
import dev.conduit.core.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code conduit} command: global options, the configuration, and the list of subcommands.
 *
 * <p>Configuration: one {@link ConduitConfig} is built before any subcommand runs, from the
 * defaults, a properties file ({@code --config FILE}, else {@code $CONDUIT_CONFIG}, else
 * {@code ./conduit.properties}), {@code CONDUIT_*} environment variables and the flags
 * ({@code --set key=value}, {@code --data DIR}), and installed as the {@link ProcessConfig} before
 * anything loads a native library. Only this class reads the process environment.
 *
 * <p>User mistakes and operational failures ({@link ConduitException}, bad arguments, bad
 * configuration) print one line to stderr and exit non-zero; only bugs print a stack trace.
 */
@Command(
    name = "conduit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Moves data from NVMe (local or NVMe/TCP) into GPU memory and serves it as an S3 hot tier.")
public final class Main implements Runnable
{
    /**
     * The subcommands in the order usage lists them ({@link #subcommand} gives each one's class); {@code help} follows.
     * picocli builds a command's model by reflection over every class of its tree, which costs a short
     * command (tier prefetch, stat) much of its run, so a command line that names one builds only that one.
     */
    static final List<String> SUBCOMMANDS = List.of(
        "serve", "doctor", "format", "put", "get", "ls", "rm", "stat", "fsck", "find", "audit", "bench", "nvmf", "tier");

    /** The global options that take a value (the scan for the subcommand's name skips their values). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--data", "--config", "--set");

    /** When this class was initialised: the first of Conduit's code to run (the JVM's boot is before it). */
    private static final long STARTED_NS = System.nanoTime();

    private final Map<String, String> env;
    private ConduitConfig config;

    @Option(names = "--data", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
        description = "data directory (key data.dir, env CONDUIT_DATA; default ./var)")
    private Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
        description = "configuration file (env CONDUIT_CONFIG; default: conduit.properties in the working directory, if any)")
    private Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", scope = CommandLine.ScopeType.INHERIT,
        description = "set a configuration key, over the file and the environment (repeatable; keys: docs/CONFIG.md)")
    private Map<String, String> sets = new LinkedHashMap<>();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private Main(final Map<String, String> env)
    {
        this.env = Map.copyOf(env);
    }

    /**
     * The effective configuration, built once from the file, the environment and the flags.
     *
     * @return the configuration.
     * @throws IllegalArgumentException naming the key or file when it does not load.
     */
    public ConduitConfig config()
    {
        if (config == null)
        {
            final ConfigLoader loader = new ConfigLoader(env, Path.of("")).file(configFile);
            sets.forEach(loader::set);
            if (dataDir != null)
            {
                loader.flag(Settings.DATA_DIR, dataDir.toString(), "--data");
            }
            config = loader.load();
        }
        return config;
    }

    /** @return the data directory: {@code --data}, {@code --set data.dir}, {@code $CONDUIT_DATA}, the file, or {@code ./var}. */
    public Path dataDir()
    {
        return Path.of(config().get(Settings.DATA_DIR));
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** @return when {@code Main} was initialised, as {@link System#nanoTime()} (a command's timeline starts there). */
    public static long startedNs()
    {
        return STARTED_NS;
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
     * Runs the command line with this process's environment and returns its exit code (tests call this directly).
     *
     * @param args command line.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        return commandLine(System.getenv(), args).execute(args);
    }

    /**
     * @param args a command line.
     * @return its first argument that is neither a global option nor such an option's value (the
     *         subcommand's name, if it names one), or null when there is none or after {@code --}.
     */
    static String subcommandName(final String... args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--".equals(arg))
            {
                return null;
            }
            if (OPTIONS_WITH_VALUE.contains(arg))
            {
                i++;
            }
            else if (!arg.startsWith("-"))
            {
                return arg;
            }
        }
        return null;
    }

    /** @return the class of subcommand {@code name} (one of {@link #SUBCOMMANDS}), or null for any other name. */
    static Class<?> subcommand(final String name)
    {
        return switch (name)
        {
            case "serve" -> ServeCommand.class;
            case "doctor" -> DoctorCommand.class;
            case "format" -> FormatCommand.class;
            case "put" -> PutCommand.class;
            case "get" -> GetCommand.class;
            case "ls" -> LsCommand.class;
            case "rm" -> RmCommand.class;
            case "stat" -> StatCommand.class;
            case "fsck" -> FsckCommand.class;
            case "find" -> FindCommand.class;
            case "audit" -> AuditCommand.class;
            case "bench" -> BenchCommand.class;
            case "nvmf" -> NvmfCommand.class;
            case "tier" -> TierCommand.class;
            default -> null;
        };
    }

    /** @return a configured picocli command line with Conduit's error handling, reading this process's environment. */
    public static CommandLine commandLine()
    {
        return commandLine(System.getenv());
    }

    /**
     * @param env the environment the configuration is read from (tests pass their own).
     * @return a configured picocli command line with Conduit's error handling.
     */
    public static CommandLine commandLine(final Map<String, String> env)
    {
        return build(env, SUBCOMMANDS);
    }

    /**
     * @param env  the environment the configuration is read from.
     * @param args the command line that will run.
     * @return a configured command line with only the subcommand that {@code args} names, or every
     *         subcommand when they name none (usage, {@code help}, an unknown name: the same output as always).
     */
    static CommandLine commandLine(final Map<String, String> env, final String... args)
    {
        final String named = subcommandName(args);
        if (named != null && subcommand(named) != null)
        {
            return build(env, List.of(named));
        }
        final boolean versionOnly = args.length > 0
            && List.of(args).stream().allMatch(arg -> "--version".equals(arg) || "-V".equals(arg));
        return build(env, versionOnly ? List.of() : SUBCOMMANDS);
    }

    private static CommandLine build(final Map<String, String> env, final List<String> names)
    {
        final Main main = new Main(env);
        final CommandLine cmd = new CommandLine(main);
        for (final String name : names)
        {
            cmd.addSubcommand(name, new CommandLine(subcommand(name)));
        }
        if (names.size() == SUBCOMMANDS.size())
        {
            cmd.addSubcommand(new CommandLine.HelpCommand());
        }
        // Every subcommand answers --help/--version without each class repeating the mixin.
        cmd.getSubcommands().values().forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
        cmd.setExecutionExceptionHandler(Main::onExecutionException);
        cmd.setExecutionStrategy(main::executeConfigured);
        return cmd;
    }

    private int executeConfigured(final CommandLine.ParseResult parseResult)
    {
        final Integer helpExitCode = CommandLine.executeHelpRequest(parseResult);
        if (helpExitCode != null)
        {
            return helpExitCode;
        }
        config = null; // built from this parse's options, not from a previous execute's
        final ConduitConfig loaded;
        try
        {
            loaded = config();
        }
        catch (final IllegalArgumentException e)
        {
            final CommandLine leaf = parseResult.asCommandLineList().getLast();
            return onExecutionException(
                new ConduitException(ErrorCode.CONFIG_INVALID, e.getMessage(), e), leaf, parseResult);
        }
        ProcessConfig.install(loaded);
        return new CommandLine.RunLast().execute(parseResult);
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
