package dev.conduit.cli.tier;

import java.util.Locale;
import java.util.concurrent.Callable;

import dev.conduit.blocklayout.ProgressListener;
import dev.conduit.cli.ExitCodes;
import dev.conduit.cli.store.ProgressBar;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.tier.ColdLocation;
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
    @CommandLine.ParentCommand
    private TierCommand parent;

    @Parameters(index = "0", paramLabel = "s3://BUCKET[/PREFIX]", description = "local bucket and key prefix")
    private String target;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", description = "objects fetched at once (default 8)")
    private int parallel;

    @Option(names = "--progress", negatable = true, description = "draw a progress bar on stderr (default: only when stderr is a terminal)")
    private Boolean progress;

    @Override
    public Integer call() throws InterruptedException
    {
        if (parallel < 1)
        {
            throw new IllegalArgumentException("--parallel must be >= 1: " + parallel);
        }
        final ColdLocation where = ColdLocation.parse(target);
        final String prefix = target.endsWith("/") || where.prefix().isEmpty() ? where.prefix()
            : where.prefix().substring(0, where.prefix().length() - 1);
        final TierServerClient remote = parent.remote();
        final Prefetch.Result result = remote != null
            ? TierAdmin.decodeResult(remote.call("prefetch?bucket=" + TierServerClient.encode(where.bucket())
                + "&prefix=" + TierServerClient.encode(prefix) + "&parallel=" + parallel, ""))
            : prefetchHere(where.bucket(), prefix);
        parent.out().println(String.format(Locale.ROOT,
            "prefetched %d objects, %d bytes in %.2f s (%.3f GiB/s); %d already local, %d failed",
            result.fetched(), result.fetchedBytes(), result.elapsedNs() / 1e9, result.gibPerSecond(), result.skipped(), result.failed()));
        parent.out().flush();
        if (result.failed() > 0)
        {
            parent.err().println("conduit tier prefetch: first failure: " + result.firstFailure());
            parent.err().flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /** Opens the data directory (the server is stopped) and prefetches with a progress bar. */
    private Prefetch.Result prefetchHere(final String bucket, final String prefix) throws InterruptedException
    {
        final ProgressListener bar = ProgressBar.create(parent.err(), "prefetch", true, progress);
        try (ScheduledStore store = parent.openStore();
            BucketStore buckets = new BucketStore(store);
            Tiering tiering = Tiering.open(buckets, TierSettings.from(parent.config())))
        {
            return tiering.prefetch(bucket, prefix, parallel, bar);
        }
        finally
        {
            if (bar instanceof ProgressBar drawn)
            {
                drawn.finish();
            }
        }
    }
}
