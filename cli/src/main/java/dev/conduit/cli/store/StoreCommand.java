package dev.conduit.cli.store;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.conduit.blocklayout.ProgressListener;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.Main;
import dev.conduit.cli.SchedulerSettings;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * What every store subcommand shares: the data directory from the global {@code --data}, opening
 * the store, stdout/stderr of the command line, and the {@code --[no-]progress} switch. Each
 * subcommand opens the store, does one thing and closes it (which checkpoints).
 */
abstract class StoreCommand implements Callable<Integer>
{
    private ProgressListener bar = ProgressListener.NONE;

    @CommandLine.ParentCommand
    private Main main;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--progress", negatable = true,
        description = "draw a progress bar on stderr (default: only when stderr is a terminal)")
    private Boolean progress;

    @Override
    public final Integer call() throws Exception
    {
        try
        {
            return run();
        }
        finally
        {
            if (bar instanceof ProgressBar drawn)
            {
                drawn.finish();
            }
        }
    }

    /**
     * The command's work.
     *
     * @return the exit code.
     * @throws Exception failures, turned into one stderr line by {@code Main}.
     */
    abstract Integer run() throws Exception;

    /** @return the data directory of the configuration ({@code --data}, {@code data.dir}, {@code $CONDUIT_DATA}, {@code ./var}). */
    final Path dataDir()
    {
        return main.dataDir();
    }

    /**
     * Opens the store with its namespace I/O on the scheduler (io_uring where the host has it),
     * configured by the {@code scheduler.*} settings.
     *
     * @param options open options.
     * @return the store in the data directory and its scheduler; close it.
     */
    final ScheduledStore openStore(final StoreOptions options)
    {
        final ConduitConfig config = main.config();
        return ScheduledStore.open(dataDir(), options, Priority.LATENCY, SchedulerSettings.schedulerContext(config),
            () -> SchedulerSettings.deviceContext(config));
    }

    /** @return this command's picocli model (for usage errors). */
    final CommandLine.Model.CommandSpec spec()
    {
        return spec;
    }

    /** @return the command's stdout (text). */
    final PrintWriter out()
    {
        return spec.commandLine().getOut();
    }

    /** @return the command's stderr. */
    final PrintWriter err()
    {
        return spec.commandLine().getErr();
    }

    /**
     * @param label what is progressing.
     * @param bytes whether units are bytes.
     * @return a progress bar or {@link ProgressListener#NONE}.
     */
    final ProgressListener progress(final String label, final boolean bytes)
    {
        bar = ProgressBar.create(err(), label, bytes, progress);
        return bar;
    }

    /**
     * Prints one line (or block) of output and flushes.
     *
     * @param text the output.
     */
    final void print(final String text)
    {
        out().println(text);
        out().flush();
    }
}
