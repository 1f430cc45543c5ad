package dev.conduit.cli.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.objecttier.tier.TierCatalog;
import dev.conduit.objecttier.tier.TierState;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit stat KEY [--json]}: the catalog record of KEY, layout included. */
@Command(name = "stat", description = "Show the record of KEY: size, ETag, version, metadata, chunks and extents.")
public final class StatCommand extends StoreCommand
{
    @Parameters(index = "0", paramLabel = "KEY", description = "object key")
    private String key;

    @Option(names = "--json", description = "print one JSON object")
    private boolean json;

    @Override
    Integer run()
    {
        final ObjectRecord r;
        final Optional<TierState> tier;
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT))
        {
            final ObjectStore store = scheduled.store();
            r = store.stat(key);
            tier = new TierCatalog(store).stateOf(r);
        }
        if (json)
        {
            print(RecordJson.render(RecordJson.of(r, true)));
            return 0;
        }
        final StringBuilder text = new StringBuilder()
            .append("key:          ").append(r.key()).append('\n')
            .append("size:         ").append(r.sizeBytes()).append('\n')
            .append("etag:         ").append(r.etag()).append('\n')
            .append("version:      ").append(r.version()).append('\n')
            .append("created:      ").append(Instant.ofEpochMilli(r.createdMs())).append('\n')
            .append("content-type: ").append(r.contentType()).append('\n')
            .append("chunks:       ").append(r.chunkCount()).append(" × ").append(r.chunkSizeBytes()).append(" bytes (crc32c)\n")
            .append("extents:      ").append(r.layout().extents());
        tier.ifPresent(state -> text.append("\ntier:         ").append(state.text()));
        for (final Map.Entry<String, String> e : r.userMetadata().entrySet())
        {
            text.append("\nmeta:         ").append(e.getKey()).append('=').append(e.getValue());
        }
        print(text.toString());
        return 0;
    }
}
