package dev.conduit.cli.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import dev.conduit.blocklayout.Keys;
import dev.conduit.blocklayout.LayoutErrors;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.core.ErrorCode;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit put KEY FILE}: stores a file (or stdin with {@code -}) under KEY, atomically and durably. */
@Command(name = "put", description = "Store FILE (- for stdin) under KEY; replaces any previous version atomically.")
public final class PutCommand extends StoreCommand
{
    @Parameters(index = "0", paramLabel = "KEY", description = "object key (UTF-8, at most 1280 bytes)")
    private String key;

    @Parameters(index = "1", paramLabel = "FILE", description = "file to store, or - for stdin")
    private String file;

    @Option(names = "--content-type", paramLabel = "TYPE", description = "MIME type (default application/octet-stream)")
    private String contentType;

    @Option(names = "--meta", paramLabel = "K=V", description = "user metadata entry; repeatable")
    private Map<String, String> meta;

    @Option(names = "--json", description = "print the stored record as JSON")
    private boolean json;

    @Override
    Integer run() throws IOException
    {
        Keys.encode(key);
        final ObjectMetadata metadata = new ObjectMetadata(contentType, meta);
        final Path spool = "-".equals(file) ? spool() : null;
        final Path source = spool != null ? spool : Path.of(file);
        if (!Files.isRegularFile(source))
        {
            throw LayoutErrors.error(ErrorCode.NOT_FOUND, "no such file: " + file);
        }
        final ObjectRecord record;
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT); InputStream in = Files.newInputStream(source))
        {
            final ObjectStore store = scheduled.store();
            final long size = Files.size(source);
            record = store.put(key, in, size, metadata, progress("put " + key, true));
        }
        finally
        {
            if (spool != null)
            {
                Files.deleteIfExists(spool);
            }
        }
        print(json ? RecordJson.render(RecordJson.of(record, false))
            : "put " + record.key() + ": " + record.sizeBytes() + " bytes, etag " + record.etag() + ", version " + record.version());
        return 0;
    }

    /** stdin has no size up front; it is copied next to the store first (same filesystem, no RAM limit). */
    private Path spool() throws IOException
    {
        final Path tmp = Files.createTempFile(dataDir(), ".put-", ".spool");
        Files.copy(System.in, tmp, StandardCopyOption.REPLACE_EXISTING);
        return tmp;
    }
}
