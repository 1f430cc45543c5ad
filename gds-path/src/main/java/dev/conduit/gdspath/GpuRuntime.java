package dev.conduit.gdspath;

import java.util.Objects;
import java.util.Optional;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.cuda.CudaContext;
import dev.conduit.nativebindings.cuda.CudaDriver;
import dev.conduit.nativebindings.cuda.CudaDriverLibrary;
import dev.conduit.nativebindings.cuda.CudaException;
import dev.conduit.nativebindings.cufile.CuFileDriver;
import dev.conduit.nativebindings.cufile.CuFileException;
import dev.conduit.nativebindings.cufile.CuFileLibrary;

/**
 * The GPU side of a {@link DataPath}: the CUDA driver, the retained primary context of one device
 * and, where GPUDirect Storage works, an open cuFile driver session. What this host can serve
 * follows from what opened: {@link #choice()}.
 *
 * <pre>{@code
 * try (GpuRuntime gpu = GpuRuntime.open(0);                       // real libcuda / libcufile
 *      DeviceBufferPool pool = DeviceBufferPool.device(gpu, 4 << 20, 8);
 *      DataPath path = DataPath.open(options, store, gpu))
 * { ... }
 * }</pre>
 *
 * <p>Loading: only the real libraries ({@link CudaDriverLibrary#load()}, {@link CuFileLibrary#load()});
 * tests hand in the test doubles' libraries by path through {@link #open(CudaDriverLibrary, Optional, int)}.
 *
 * <p>Resources: owns the context retain and the cuFile session; {@link #close()} releases them
 * (close pools and data paths first). Threading: any thread; each thread that touches device
 * memory calls {@link #makeCurrent()} once.
 */
public final class GpuRuntime implements AutoCloseable
{
    private final CudaDriver driver;
    private final CudaContext context;
    private final int deviceOrdinal;
    private final CuFileDriver cufile;
    private final String cufileReason;

    private GpuRuntime(
        final CudaDriver driver, final CudaContext context, final int deviceOrdinal, final CuFileDriver cufile,
        final String cufileReason)
    {
        this.driver = driver;
        this.context = context;
        this.deviceOrdinal = deviceOrdinal;
        this.cufile = cufile;
        this.cufileReason = cufileReason;
    }

    /**
     * @param deviceOrdinal the CUDA device.
     * @return the runtime over the system's libcuda and libcufile.
     * @throws ConduitException {@link ErrorCode#PATH_UNAVAILABLE} when libcuda is absent or has no such device.
     */
    public static GpuRuntime open(final int deviceOrdinal)
    {
        final CudaDriverLibrary cuda = CudaDriverLibrary.load().orElseThrow(() -> new ConduitException(
            ErrorCode.PATH_UNAVAILABLE, "no CUDA driver library (" + CudaDriverLibrary.SONAME + ") on this host"));
        return open(cuda, CuFileLibrary.load(), deviceOrdinal);
    }

    /**
     * @param cuda          a loaded CUDA driver library.
     * @param cufile        a loaded libcufile, or empty.
     * @param deviceOrdinal the CUDA device.
     * @return the runtime; GDS is available when {@code cufile} is present and its driver opens.
     * @throws ConduitException {@link ErrorCode#PATH_UNAVAILABLE} when CUDA cannot initialise or lacks the device.
     */
    public static GpuRuntime open(final CudaDriverLibrary cuda, final Optional<CuFileLibrary> cufile, final int deviceOrdinal)
    {
        Objects.requireNonNull(cufile, "cufile");
        final CudaDriver driver = CudaDriver.of(cuda);
        final CudaContext context;
        try
        {
            driver.init();
            context = driver.device(deviceOrdinal).retainPrimaryContext();
        }
        catch (final CudaException e)
        {
            throw new ConduitException(ErrorCode.PATH_UNAVAILABLE,
                "CUDA device " + deviceOrdinal + " is not usable: " + e.getMessage(), e);
        }
        if (cufile.isEmpty())
        {
            return new GpuRuntime(driver, context, deviceOrdinal, null, "no libcufile on this host");
        }
        try
        {
            context.makeCurrent();
            final CuFileDriver session = CuFileDriver.open(cufile.get());
            return new GpuRuntime(driver, context, deviceOrdinal, session, "cuFile driver open (" + cufile.get().name() + ")");
        }
        catch (final CuFileException | CudaException e)
        {
            return new GpuRuntime(driver, context, deviceOrdinal, null, "cuFile driver does not open: " + e.getMessage());
        }
    }

    /** @return what this runtime serves: {@code gds} with a cuFile session, else {@code bounce}. */
    public PathChoice choice()
    {
        return cufile != null
            ? new PathChoice(PathKind.GDS, "CUDA device " + deviceOrdinal + " and " + cufileReason)
            : new PathChoice(PathKind.BOUNCE, "CUDA device " + deviceOrdinal + " works but GPUDirect Storage does not: " + cufileReason);
    }

    /** Binds the context to the calling thread (cheap to repeat). */
    public void makeCurrent()
    {
        context.makeCurrent();
    }

    /** @return the driver (typed CUDA calls). */
    public CudaDriver driver()
    {
        return driver;
    }

    /** @return the device's primary context. */
    public CudaContext context()
    {
        return context;
    }

    /** @return the CUDA device ordinal. */
    public int deviceOrdinal()
    {
        return deviceOrdinal;
    }

    /** @return the cuFile session, when GPUDirect Storage works here. */
    public Optional<CuFileDriver> cufile()
    {
        return Optional.ofNullable(cufile);
    }

    /** Closes the cuFile session, then releases the context. */
    @Override
    public void close()
    {
        try
        {
            if (cufile != null)
            {
                cufile.close();
            }
        }
        finally
        {
            context.close();
        }
    }
}
