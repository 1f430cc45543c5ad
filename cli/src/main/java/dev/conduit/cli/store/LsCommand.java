package dev.conduit.cli.store;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.conduit.blocklayout.ListPage;
import dev.conduit.blocklayout.ListRequest;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.scheduler.store.ScheduledStore;
import dev.conduit.blocklayout.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit ls [PREFIX] [--json]}: lists keys in UTF-8 order, optionally filtered by metadata. */
@Command(name = "ls", description = "List objects whose key starts with PREFIX, in key order.")
public final class LsCommand extends StoreCommand
{
    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "key prefix (default: all keys)")
    private String prefix = "";

    @Option(names = "--start-after", paramLabel = "KEY", description = "list keys after KEY (a cursor)")
    private String startAfter = "";

    @Option(names = "--limit", paramLabel = "N", description = "at most N objects (default: all)")
    private Integer limit;

    @Option(names = "--meta", paramLabel = "K=V", description = "only objects whose metadata has K=V; repeatable")
    private Map<String, String> meta;

    @Option(names = "--json", description = "print a JSON array of objects")
    private boolean json;

    @Override
    Integer run()
    {
        final ArrayNode array = RecordJson.MAPPER.createArrayNode();
        final StringBuilder text = new StringBuilder();
        long remaining = limit == null ? Long.MAX_VALUE : limit;
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT))
        {
            final ObjectStore store = scheduled.store();
            ListRequest request = new ListRequest(prefix, startAfter, (int)Math.min(remaining, 1000), meta);
            while (remaining > 0)
            {
                final ListPage page = store.list(request);
                for (final ObjectRecord r : page.objects())
                {
                    if (json)
                    {
                        array.add(RecordJson.of(r, false));
                    }
                    else
                    {
                        text.append(String.format("%12d  %s  %s  %s%n", r.sizeBytes(), Instant.ofEpochMilli(r.createdMs()), r.etag(), r.key()));
                    }
                }
                remaining -= page.objects().size();
                if (!page.truncated())
                {
                    break;
                }
                request = new ListRequest(prefix, page.nextStartAfter(), (int)Math.min(remaining, 1000), meta);
            }
        }
        if (json)
        {
            print(RecordJson.render(array));
        }
        else if (!text.isEmpty())
        {
            out().print(text);
            out().flush();
        }
        return 0;
    }
}
