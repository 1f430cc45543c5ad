package dev.conduit.cli.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.ExitCodes;
import dev.conduit.cli.Main;
import dev.conduit.cli.SchedulerSettings;
import dev.conduit.cli.store.SizeConverter;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.Setting;
import dev.conduit.core.config.Settings;
import dev.conduit.objecttier.S3ServerOptions;
import dev.conduit.objecttier.auth.Credentials;
import dev.conduit.objecttier.tier.TierSettings;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code conduit serve}: the S3 endpoint over the store in the data directory, in the foreground.
 *
 * <p>First start: creates a store (size {@code --size}, else min(16 GiB, 25% of free space)) and
 * an access key kept in the data directory. Every start: opens the store, binds, prints the
 * endpoint, the key and an AWS CLI example, and serves until SIGINT/SIGTERM; then drains requests
 * in flight, closes the buckets and the store, and exits 0. Each flag overrides its configuration
 * key ({@code s3.*}, {@code serve.size}; docs/CONFIG.md).
 */
@Command(name = "serve",
    description = "Serve the store in the data directory as an S3 endpoint until SIGINT/SIGTERM "
        + "(creates the store and an access key on first start; docs/S3.md).")
public final class ServeCommand implements Callable<Integer>
{
    @CommandLine.ParentCommand
    private Main main;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (key s3.port; default 9400; 0 picks a free one)")
    private Integer port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "address to listen on (key s3.bind; default 127.0.0.1)")
    private String bind;

    @Option(names = "--region", paramLabel = "REGION", description = "region clients sign for (key s3.region; default us-east-1)")
    private String region;

    @Option(names = "--size", converter = SizeConverter.class, paramLabel = "SIZE",
        description = "size of the store created on first start (key serve.size; default min(16g, 25% of free space))")
    private Long sizeBytes;

    @Option(names = "--access-key", paramLabel = "ID",
        description = "access key id (key s3.accessKey, env CONDUIT_ACCESS_KEY; default: generated once, kept in the data directory)")
    private String accessKey;

    @Option(names = "--secret-key", paramLabel = "SECRET",
        description = "secret key, with --access-key (key s3.secretKey, env CONDUIT_SECRET_KEY)")
    private String secretKey;

    @Override
    public Integer call() throws Exception
    {
        final ConduitConfig config = main.config();
        final Path dataDir = main.dataDir().toAbsolutePath().normalize();
        final String bindAddress = pick(bind, config, Settings.S3_BIND);
        final int listenPort = pick(port, config, Settings.S3_PORT);
        if (listenPort < 0 || listenPort > 65535)
        {
            throw new IllegalArgumentException("--port must be 0..65535: " + listenPort);
        }
        final String signingRegion = pick(region, config, Settings.S3_REGION);
        final String givenId = pick(accessKey, config, Settings.S3_ACCESS_KEY);
        final String givenSecret = pick(secretKey, config, Settings.S3_SECRET_KEY);
        if ((givenId == null) != (givenSecret == null))
        {
            throw new IllegalArgumentException("the access key and the secret key are given together "
                + "(--access-key/--secret-key, CONDUIT_ACCESS_KEY/CONDUIT_SECRET_KEY, s3.accessKey/s3.secretKey)");
        }
        warnIfExposed(bindAddress);

        createStoreIfMissing(dataDir, pick(sizeBytes, config, Settings.SERVE_SIZE));
        final Credentials credentials;
        final String keySource;
        if (givenId != null)
        {
            credentials = new Credentials(givenId, givenSecret);
            keySource = "given by the flags or the configuration (not written anywhere)";
        }
        else
        {
            final AccessKeys.Loaded loaded = AccessKeys.loadOrGenerate(dataDir, new SecureRandom());
            credentials = loaded.credentials();
            keySource = ServeBanner.keptIn(loaded.file(), loaded.generated());
        }
        final S3ServerOptions defaults = S3ServerOptions.defaults(List.of(credentials)).withBindAddress(bindAddress).withPort(listenPort);
        final S3ServerOptions options = new S3ServerOptions(defaults.bindAddress(), defaults.port(), signingRegion,
            defaults.credentials(), defaults.maxClockSkew(), config.get(Settings.S3_EVENT_LOOP_THREADS), defaults.maxHeaderBytes(),
            defaults.idleTimeout(), Duration.ofNanos(config.get(Settings.S3_DRAIN_TIMEOUT)))
            .withSmallObjectCacheBytes(config.get(Settings.S3_SMALL_OBJECT_CACHE_BYTES));
        return serve(config, dataDir, options, keySource);
    }

    private int serve(final ConduitConfig config, final Path dataDir, final S3ServerOptions options, final String keySource)
        throws InterruptedException
    {
        // Installed before the endpoint exists, so a signal that arrives as soon as the banner is
        // out still takes the orderly path.
        final StopSignal stopSignal = StopSignal.install(err());
        final ScheduledStore store = ScheduledStore.open(dataDir, StoreOptions.DEFAULT, Priority.LATENCY,
            SchedulerSettings.schedulerContext(config), () -> SchedulerSettings.deviceContext(config));
        final S3Service service;
        try
        {
            service = S3Service.start(store, options, config.get(Settings.S3_AUDIT), TierSettings.from(config));
        }
        catch (final ConduitException e)
        {
            if (e.code() == ErrorCode.ADDRESS_IN_USE)
            {
                err().println("conduit serve: " + options.bindAddress() + " port " + options.port()
                    + " is in use by another process; stop it or choose another port with --port (0 picks a free one)");
                err().flush();
                return ExitCodes.ADDRESS_IN_USE;
            }
            throw e;
        }
        try (service)
        {
            print(new ServeBanner(service.server().endpoint(), options.region(), options.credentials().getFirst(), keySource, dataDir)
                .render());
            final String signal = stopSignal.await();
            print("conduit serve: SIG" + signal + ", draining requests in flight (up to "
                + options.drainTimeout().toSeconds() + " s), then closing the store");
        }
        print("conduit serve: stopped cleanly");
        return ExitCodes.OK;
    }

    private void createStoreIfMissing(final Path dataDir, final long requestedBytes) throws IOException
    {
        if (DataDirectory.isFormatted(dataDir))
        {
            if (sizeBytes != null)
            {
                warn("the store in " + dataDir + " exists; --size applies only when serve creates one");
            }
            return;
        }
        final long size = requestedBytes > 0 ? requestedBytes : StoreSizing.defaultSize(StoreSizing.freeBytes(dataDir));
        DataDirectory.format(dataDir, size, 1, FormatOptions.DEFAULT);
        print("conduit serve: created a " + (size >> 20) + " MiB store in " + dataDir);
    }

    private void warnIfExposed(final String bindAddress)
    {
        boolean loopback;
        try
        {
            loopback = InetAddress.getByName(bindAddress).isLoopbackAddress();
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalArgumentException("--bind: unknown address " + bindAddress, e);
        }
        if (!loopback)
        {
            warn("listening on " + bindAddress + ", not loopback: anyone who can reach this host and port can try the key; "
                + "the endpoint speaks plain HTTP, so keys and data cross the network unencrypted");
        }
    }

    private static <T> T pick(final T flag, final ConduitConfig config, final Setting<T> setting)
    {
        return flag != null ? flag : config.find(setting).orElse(null);
    }

    private void warn(final String message)
    {
        err().println("conduit serve: WARNING: " + message);
        err().flush();
    }

    private void print(final String text)
    {
        final PrintWriter out = spec.commandLine().getOut();
        out.println(text);
        out.flush();
    }

    private PrintWriter err()
    {
        return spec.commandLine().getErr();
    }
}
