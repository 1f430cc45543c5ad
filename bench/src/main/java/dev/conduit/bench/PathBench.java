package dev.conduit.bench;

import java.util.Optional;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DataPathOptions;
import dev.conduit.gdspath.DeviceBufferPool;
import dev.conduit.gdspath.PathChoice;
import dev.conduit.gdspath.PathKind;
import dev.conduit.gdspath.PathMode;
import dev.conduit.gdspath.PathSelection;
import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileDriverProperties;
import dev.conduit.nativebindings.cufile.CuFileInventory;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * {@code conduit bench --path gds|bounce|host} (or gdsio's {@code -x N}): block-sized reads of one store
 * object through {@link DataPath} into {@link dev.conduit.gdspath.DeviceBuffer}s, with fio-like jobs
 * ({@link Driver}), reported like {@code conduit bench} plus what a data path is judged by: CPU-seconds
 * per GiB for the whole process, the I/Os each path served, the effective cuFile configuration on the gds
 * path, and gdsio's result line ({@link GdsioLine}).
 *
 * <p>The object, {@value #KEY_PREFIX}{@code <size>}, holds {@link BlockPattern} and is put when missing;
 * {@code --verify} checks every block read against it on the host (on the host path the buffer is the
 * host copy).
 *
 * <p>The path is forced, never chosen: a path this host cannot serve fails before the store is opened,
 * with {@code PATH_UNAVAILABLE} and the reason {@code conduit doctor} gives.
 */
public final class PathBench
{
    /** Key prefix of the benchmark object; the suffix is its size in bytes. */
    static final String KEY_PREFIX = "conduit-bench/pattern-";

    private PathBench()
    {
    }

    /**
     * Probes CUDA and cuFile, then runs.
     *
     * @param config   the run ({@code --target store}, a read mode, {@code --size} the object size).
     * @param xfer     the transfer type (its path is the one forced).
     * @param verify   check every block against the pattern.
     * @param progress live progress.
     * @return the report.
     * @throws ConduitException {@code PATH_UNAVAILABLE} with the host's reason when the path cannot run here.
     */
    public static PathReport run(final BenchConfig config, final XferType xfer, final boolean verify,
        final Progress progress)
    {
        final CudaInventory cuda = CudaInventory.collect();
        final CuFileInventory cufile = CuFileInventory.collect(cuda);
        return run(config, xfer, verify, PathSelection.select(cuda, cufile), cufile.properties(), progress);
    }

    /**
     * @param config   the run.
     * @param xfer     the transfer type.
     * @param verify   check every block.
     * @param host     what this host serves.
     * @param cufile   the cuFile driver's properties when its driver opened.
     * @param progress live progress.
     * @return the report.
     */
    static PathReport run(final BenchConfig config, final XferType xfer, final boolean verify, final PathChoice host,
        final Optional<CuFileDriverProperties> cufile, final Progress progress)
    {
        final PathMode mode = PathMode.parse(xfer.path().label());
        // Refused before the store is touched (and before an object is put): the forced path must run here.
        mode.resolve(host);
        if (config.sizeBytes() == 0)
        {
            throw new IllegalArgumentException("--path needs --size: the size of the object to read");
        }
        if (!DataDirectory.isFormatted(config.dataDir()))
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, "no store in " + config.dataDir()
                + "; create one with: conduit --data " + config.dataDir() + " format --size SIZE");
        }
        try (ScheduledStore scheduled = ScheduledStore.open(config.dataDir(), StoreOptions.DEFAULT, Priority.BULK,
                config.totalQueueDepth());
             DataPath path = DataPath.open(new DataPathOptions(mode, true), scheduled, host);
             DeviceBufferPool pool = DeviceBufferPool.host(config.blockSizeBytes(), config.totalQueueDepth()))
        {
            final ObjectRecord record = object(scheduled.store(), config.sizeBytes(), progress);
            final String detail = "DataPath " + path.kind().label();
            final long cpuStartNs = ProcessCpu.nowNs();
            final BenchResult result;
            final double meanLatencyUs;
            final long verified;
            try (PathWorkload workload = new PathWorkload(path, record.key(), pool, config, verify))
            {
                try
                {
                    result = Driver.drive(config, workload, record.sizeBytes(), null, progress, detail);
                }
                catch (final RuntimeException e)
                {
                    throw workload.failureOr(e);
                }
                meanLatencyUs = workload.meanLatencyUs();
                verified = verify ? workload.verifiedBytes() : -1;
            }
            final long cpuNs = ProcessCpu.nowNs() - cpuStartNs;
            final GdsioLine line = new GdsioLine("READ", xfer.gdsioName(), config.threads(), result.bytes() / 1024,
                (config.timeNs() > 0 ? result.bytes() : config.threads() * (record.sizeBytes() / config.blockSizeBytes()
                    * config.blockSizeBytes())) / 1024, config.blockSizeBytes() / 1024, result.gibPerSec(), meanLatencyUs,
                result.ios(), result.seconds());
            return new PathReport(config, xfer, result, new PathChoice(path.kind(), path.reason()), path.stats(),
                cpuNs, path.kind() == PathKind.GDS ? cufile : Optional.empty(), verified, line);
        }
    }

    /**
     * @param store     the store.
     * @param sizeBytes the object's size.
     * @param progress  where to say it is being put.
     * @return the pattern object of that size, put now if the store lacks it.
     */
    static ObjectRecord object(final ObjectStore store, final long sizeBytes, final Progress progress)
    {
        final String key = KEY_PREFIX + sizeBytes;
        final Optional<ObjectRecord> existing = store.find(key);
        if (existing.isPresent())
        {
            return existing.get();
        }
        progress.note("putting " + key + " (" + Sizes.fioSize(sizeBytes) + ") into the store");
        return store.put(key, BlockPattern.stream(sizeBytes), sizeBytes, ObjectMetadata.NONE, (done, total) -> { });
    }
}
