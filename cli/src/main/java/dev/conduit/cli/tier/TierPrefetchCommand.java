package dev.conduit.cli.tier;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.ProgressListener;
import dev.conduit.cli.ExitCodes;
import dev.conduit.cli.Main;
import dev.conduit.cli.store.ProgressBar;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.tier.ColdLocation;
import dev.conduit.objecttier.tier.ColdThreads;
import dev.conduit.objecttier.tier.Prefetch;
import dev.conduit.objecttier.tier.TierAdmin;
import dev.conduit.objecttier.tier.TierSettings;
import dev.conduit.objecttier.tier.Tiering;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit tier prefetch s3://BUCKET/PREFIX}: fetches every object of the local bucket's cold
 * tier under PREFIX that is not local yet, with a progress bar, then prints a summary (objects,
 * bytes, GiB/s). Objects land whole or not at all; a failed one is named and the exit status is 1.
 */
@Command(name = "prefetch", description = "Fetch every cold object under s3://BUCKET/PREFIX (BUCKET: the local bucket) into the store.")
public final class TierPrefetchCommand implements Callable<Integer>
{
    /** How often a prefetch through a running server asks for its progress. */
    private static final long POLL_MS = 200;

    @CommandLine.ParentCommand
    private TierCommand parent;

    @Parameters(index = "0", paramLabel = "s3://BUCKET[/PREFIX]", description = "local bucket and key prefix")
    private String target;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "objects fetched at once (default 8)")
    private int parallel;

    @Option(names = "--progress", negatable = true, description = "draw a progress bar on stderr (default: only when stderr is a terminal)")
    private Boolean progress;

    @Option(names = "--timeline", description = "print on stderr where the command's time went (seconds since the JVM started)")
    private boolean timelineWanted;

    @Override
    public Integer call() throws InterruptedException
    {
        final PhaseTimeline timeline = PhaseTimeline.start(timelineWanted);
        timeline.markAt("Main initialised (JVM boot)", Main.startedNs());
        timeline.mark("command runs (picocli, configuration)");
        if (parallel < 1)
        {
            throw new IllegalArgumentException("--parallel must be >= 1: " + parallel);
        }
        final ColdLocation where = ColdLocation.parse(target);
        final String prefix = target.endsWith("/") || where.prefix().isEmpty() ? where.prefix()
            : where.prefix().substring(0, where.prefix().length() - 1);
        final TierServerClient remote = parent.remote();
        final Prefetch.Result result = remote != null ? prefetchThere(remote, where.bucket(), prefix) : prefetchHere(where.bucket(), prefix, timeline);
        parent.out().println(String.format(Locale.ROOT,
            "prefetched %d objects, %d bytes in %.2f s (%.3f GiB/s); %d already local, %d failed",
            result.fetched(), result.fetchedBytes(), result.elapsedNs() / 1e9, result.gibPerSecond(), result.skipped(), result.failed()));
        parent.out().flush();
        timeline.mark("summary printed");
        timeline.print(parent.err());
        if (result.failed() > 0)
        {
            parent.err().println("conduit tier prefetch: first failure: " + result.firstFailure());
            parent.err().flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /**
     * Asks the running server to prefetch; while its request runs, another polls the prefetch's
     * progress (by an id chosen here) every {@link #POLL_MS} and draws it.
     */
    private Prefetch.Result prefetchThere(final TierServerClient remote, final String bucket, final String prefix)
        throws InterruptedException
    {
        final ProgressListener bar = ProgressBar.create(parent.err(), "prefetch", true, progress);
        final String id = bar == ProgressListener.NONE ? "" : UUID.randomUUID().toString();
        final CountDownLatch over = new CountDownLatch(1);
        // A platform daemon thread: a virtual thread blocked on its socket would park on the JDK's poller, and the JVM's
        // exit waits for that poller's native wait to end (~300 ms measured) after the summary is printed.
        final Thread poller = id.isEmpty() ? null
            : Thread.ofPlatform().daemon().name("conduit-prefetch-progress").start(() -> poll(remote, id, bar, over));
        try
        {
            final Prefetch.Result result = TierAdmin.decodeResult(remote.call("prefetch?bucket=" + TierServerClient.encode(bucket)
                + "&prefix=" + TierServerClient.encode(prefix) + "&parallel=" + parallel + (id.isEmpty() ? "" : "&id=" + id), ""));
            over.countDown();
            if (poller != null)
            {
                poller.join();
            }
            if (result.listedBytes() > 0)
            {
                bar.onProgress(result.listedBytes(), result.listedBytes());
            }
            return result;
        }
        finally
        {
            over.countDown();
            if (bar instanceof ProgressBar drawn)
            {
                drawn.finish();
            }
        }
    }

    /** Draws the server's progress of prefetch {@code id} until {@code over}; a poll that finds none yet (or any more) draws nothing. */
    private static void poll(final TierServerClient remote, final String id, final ProgressListener bar, final CountDownLatch over)
    {
        try
        {
            while (!over.await(POLL_MS, TimeUnit.MILLISECONDS))
            {
                try
                {
                    final long[] state = TierAdmin.decodeProgress(remote.call("progress?id=" + id, null));
                    if (!over.await(0, TimeUnit.MILLISECONDS) && state[0] < state[1])
                    {
                        bar.onProgress(state[0], state[1]);
                    }
                }
                catch (final ConduitException e)
                {
                    if (e.code() != ErrorCode.NOT_FOUND)
                    {
                        return; // the bar is a courtesy: the prefetch's own answer reports what went wrong
                    }
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Opens the data directory (the server is stopped) and prefetches with a progress bar. */
    private Prefetch.Result prefetchHere(final String bucket, final String prefix, final PhaseTimeline timeline)
        throws InterruptedException
    {
        final ProgressListener bar = ProgressBar.create(parent.err(), "prefetch", true, progress);
        final ProgressListener marked = (done, total) ->
        {
            timeline.markOnce("first object landed");
            bar.onProgress(done, total);
        };
        try (ScheduledStore store = parent.openStore())
        {
            timeline.mark("store open");
            try (BucketStore buckets = new BucketStore(store);
                Tiering tiering = Tiering.open(buckets, TierSettings.from(parent.config()), ColdThreads.PLATFORM))
            {
                timeline.mark("tiering open (cold client made)");
                final Prefetch.Result result = tiering.prefetch(bucket, prefix, parallel, marked);
                timeline.mark("last object landed");
                return result;
            }
            finally
            {
                timeline.mark("tiering closed");
            }
        }
        finally
        {
            timeline.mark("store closed");
            if (bar instanceof ProgressBar drawn)
            {
                drawn.finish();
            }
        }
    }
}
