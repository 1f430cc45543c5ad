package dev.conduit.cli.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.scheduler.store.ScheduledStore;
import dev.conduit.blocklayout.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit get KEY FILE}: writes the verified content of KEY to FILE ({@code -} = stdout). */
@Command(name = "get", description = "Write the content of KEY to FILE (- for stdout); every chunk is checksum-verified first.")
public final class GetCommand extends StoreCommand
{
    @Parameters(index = "0", paramLabel = "KEY", description = "object key")
    private String key;

    @Parameters(index = "1", paramLabel = "FILE", description = "destination file, or - for stdout")
    private String file;

    @Override
    Integer run() throws IOException
    {
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT))
        {
            final ObjectStore store = scheduled.store();
            if ("-".equals(file))
            {
                store.get(key, System.out, progress("get " + key, true));
                System.out.flush();
                return 0;
            }
            final Path target = Path.of(file);
            final Path parent = target.toAbsolutePath().getParent();
            final Path tmp = Files.createTempFile(parent, "." + target.getFileName(), ".part");
            try
            {
                try (OutputStream out = Files.newOutputStream(tmp))
                {
                    store.get(key, out, progress("get " + key, true));
                }
                // A failed or corrupt read never leaves a half-written FILE behind.
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            finally
            {
                Files.deleteIfExists(tmp);
            }
        }
        return 0;
    }
}
