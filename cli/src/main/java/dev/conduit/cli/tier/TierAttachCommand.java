package dev.conduit.cli.tier;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.tier.ColdLocation;
import dev.conduit.objecttier.tier.TierAdmin;
import dev.conduit.objecttier.tier.TierBinding;
import dev.conduit.objecttier.tier.TierCatalog;
import dev.conduit.objecttier.tier.TierPolicy;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit tier attach BUCKET s3://COLD[/PREFIX] --endpoint URL}: binds a local bucket (created if missing) to a cold location. */
@Command(name = "attach", description = "Bind local BUCKET to a cold S3 location (credentials: the standard AWS environment/profile chain).")
public final class TierAttachCommand implements Callable<Integer>
{
    @CommandLine.ParentCommand
    private TierCommand parent;

    @Parameters(index = "0", paramLabel = "BUCKET", description = "local bucket (created when missing)")
    private String bucket;

    @Parameters(index = "1", paramLabel = "s3://COLD-BUCKET[/PREFIX]", description = "cold location")
    private String cold;

    @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "cold S3 endpoint, e.g. https://s3.us-east-1.amazonaws.com")
    private URI endpoint;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1", description = "region to sign for (default us-east-1)")
    private String region;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "", description = "AWS profile for credentials (default: the standard chain)")
    private String profile;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "both", description = "read-through, write-back or both (default both)")
    private String policy;

    @Option(names = "--capacity-share", paramLabel = "F", defaultValue = "1.0", description = "share (0..1] of the store its cold-backed copies may hold")
    private double capacityShare;

    @Option(names = "--pin", paramLabel = "PREFIX", description = "key prefix never evicted (repeatable)")
    private List<String> pinned = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException
    {
        final TierBinding binding = new TierBinding(bucket, ColdLocation.parse(cold), endpoint, region, profile, TierPolicy.parse(policy),
            capacityShare, pinned);
        final TierServerClient remote = parent.remote();
        if (remote != null)
        {
            parent.out().print(remote.call("attach", TierAdmin.encode(binding)));
            parent.out().flush();
            return 0;
        }
        try (ScheduledStore store = parent.openStore(); BucketStore buckets = new BucketStore(store))
        {
            if (buckets.bucket(bucket).isEmpty())
            {
                buckets.createBucket(bucket);
            }
            new TierCatalog(store.store()).putBinding(binding);
        }
        parent.out().println("attached " + bucket + " -> " + binding.cold() + " at " + endpoint + " (" + binding.policy().text()
            + ", capacity share " + capacityShare + (pinned.isEmpty() ? "" : ", pinned " + pinned) + ")");
        parent.out().flush();
        return 0;
    }
}
