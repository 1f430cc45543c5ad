package dev.conduit.cli.store;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.blocklayout.MetadataPredicate;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.ExitCodes;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.ListResult;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.bucket.WhereClause;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit find BUCKET --where 'tag.stage=tested' --where 'meta.loss<0.3' [--prefix P]
 * [--limit N] [--json]}: the bucket's objects whose tags and user metadata satisfy every condition,
 * in key order, from the store's metadata index.
 */
@Command(name = "find", sortOptions = false,
    description = "Find a bucket's objects by tags and user metadata (every --where must hold).")
public final class FindCommand extends StoreCommand
{
    @Parameters(index = "0", paramLabel = "BUCKET", description = "the S3 bucket to search")
    private String bucket;

    @Option(names = "--where", paramLabel = "COND", required = true,
        description = "tag.NAME=V, meta.NAME=V, NAME^=PREFIX, meta.NAME<N (also <=, >, >=), or tag.NAME / meta.NAME for presence; repeatable")
    private List<String> where = new ArrayList<>();

    @Option(names = "--prefix", paramLabel = "P", description = "only keys that begin with P")
    private String prefix = "";

    @Option(names = "--limit", paramLabel = "N", description = "print at most N objects (default: all)")
    private long limit = Long.MAX_VALUE;

    @Option(names = "--json", description = "one JSON object per line: key, size, etag, lastModified, metadata, tags")
    private boolean json;

    @Override
    Integer run()
    {
        final List<MetadataPredicate> conditions = new ArrayList<>(where.size());
        for (final String clause : where)
        {
            try
            {
                conditions.add(WhereClause.parse(clause));
            }
            catch (final S3Exception e)
            {
                throw new CommandLine.ParameterException(spec().commandLine(), "--where: " + e.getMessage());
            }
        }
        long printed = 0;
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT); BucketStore buckets = new BucketStore(scheduled))
        {
            String after = "";
            while (printed < limit)
            {
                final ListResult page = buckets.find(bucket, conditions, prefix, after, BucketStore.MAX_KEYS);
                for (final S3Object object : page.objects())
                {
                    if (printed++ == limit)
                    {
                        break;
                    }
                    out().println(json ? json(object) : text(object));
                }
                if (!page.truncated())
                {
                    break;
                }
                after = page.nextStartAfter();
            }
        }
        catch (final S3Exception e)
        {
            err().println("conduit find: " + e.error().name() + ": " + e.getMessage());
            err().flush();
            return ExitCodes.NOT_FOUND;
        }
        out().flush();
        return ExitCodes.OK;
    }

    private static String text(final S3Object object)
    {
        return object.key() + "  " + object.sizeBytes() + "  " + object.etag() + "  " + object.lastModified();
    }

    private static String json(final S3Object object)
    {
        final ObjectNode node = RecordJson.MAPPER.createObjectNode()
            .put("key", object.key())
            .put("size", object.sizeBytes())
            .put("etag", object.etag())
            .put("lastModified", object.lastModified().toString());
        node.set("metadata", RecordJson.MAPPER.valueToTree(object.metadata().user()));
        node.set("tags", RecordJson.MAPPER.valueToTree(object.metadata().tags()));
        return node.toString();
    }
}
