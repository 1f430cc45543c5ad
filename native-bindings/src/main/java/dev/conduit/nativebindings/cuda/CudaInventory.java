package dev.conduit.nativebindings.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import dev.conduit.core.ConduitException;

/**
 * What CUDA can do on this host, gathered without side effects beyond {@code cuInit}: the
 * runtime's and driver's versions, the devices, and, when CUDA is unusable, the exact error the
 * library gave. {@code conduit doctor} renders it; path selection reads {@link #available()}.
 *
 * @param runtime what libcudart reports.
 * @param driver  what libcuda reports.
 */
public record CudaInventory(RuntimeFacts runtime, DriverFacts driver)
{
    /**
     * @param library       the libcudart that loaded, if any.
     * @param version       its CUDA version (1000*major + 10*minor).
     * @param driverVersion the driver version it sees (0 without a driver).
     * @param deviceCount   devices it sees, when the count succeeded.
     * @param error         why the count failed.
     */
    public record RuntimeFacts(
        Optional<String> library, OptionalInt version, OptionalInt driverVersion, OptionalInt deviceCount,
        Optional<CallFailure> error)
    {
    }

    /**
     * @param library the libcuda that loaded, if any.
     * @param version its CUDA version.
     * @param error   why it could not be used (missing library, cuInit failure, ...).
     * @param devices the devices it enumerated.
     */
    public record DriverFacts(Optional<String> library, OptionalInt version, Optional<CallFailure> error, List<DeviceFacts> devices)
    {
    }

    /**
     * @param ordinal          device ordinal.
     * @param name             marketing name.
     * @param pciBusId         {@code domain:bus:device.function}.
     * @param uuid             {@code GPU-...}.
     * @param computeMajor     compute capability, major.
     * @param computeMinor     compute capability, minor.
     * @param totalMemoryBytes device memory.
     * @param gpuDirectRdma    GPUDirect RDMA support (a prerequisite of GDS peer-to-peer).
     */
    public record DeviceFacts(
        int ordinal, String name, String pciBusId, String uuid, int computeMajor, int computeMinor, long totalMemoryBytes,
        boolean gpuDirectRdma)
    {
    }

    /** @return the facts of the libraries found by the default lookup (override variables honoured). */
    public static CudaInventory collect()
    {
        return collect(CudaDriver.load(), CudaRuntime.load());
    }

    /**
     * @param driver  the driver API, if a libcuda loaded.
     * @param runtime the runtime, if a libcudart loaded.
     * @return the facts.
     */
    public static CudaInventory collect(final Optional<CudaDriver> driver, final Optional<CudaRuntime> runtime)
    {
        return new CudaInventory(runtime.map(CudaInventory::runtimeFacts).orElseGet(CudaInventory::noRuntime),
            driver.map(CudaInventory::driverFacts).orElseGet(CudaInventory::noDriver));
    }

    /** @return true when the driver initialised and enumerated at least one device. */
    public boolean available()
    {
        return driver.error().isEmpty() && !driver.devices().isEmpty();
    }

    /**
     * @return the error that makes CUDA unusable: the driver's own failure when it ran, else the
     *         runtime's (which names a missing driver precisely), else the missing library.
     */
    public Optional<CallFailure> error()
    {
        if (available())
        {
            return Optional.empty();
        }
        if (driver.library().isPresent() && driver.error().isPresent())
        {
            return driver.error();
        }
        return runtime.error().isPresent() ? runtime.error() : driver.error();
    }

    /** @return one sentence on why CUDA is or is not usable. */
    public String reason()
    {
        if (available())
        {
            return driver.devices().size() + " CUDA device(s): "
                + driver.devices().stream().map(DeviceFacts::name).collect(Collectors.joining(", "));
        }
        if (driver.library().isEmpty())
        {
            final String base = "CUDA driver library " + CudaDriverLibrary.SONAME + " not found (no NVIDIA driver installed)";
            return runtime.error().map(e -> base + "; the CUDA runtime reports " + e.summary()).orElse(base);
        }
        return driver.error().map(e -> e.call() + " failed: " + e.summary()).orElse("the CUDA driver reports no devices");
    }

    private static RuntimeFacts runtimeFacts(final CudaRuntime runtime)
    {
        OptionalInt version = OptionalInt.empty();
        OptionalInt driverVersion = OptionalInt.empty();
        OptionalInt count = OptionalInt.empty();
        Optional<CallFailure> error = Optional.empty();
        try
        {
            version = OptionalInt.of(runtime.runtimeVersion());
            driverVersion = OptionalInt.of(runtime.driverVersion());
            count = OptionalInt.of(runtime.deviceCount());
        }
        catch (final ConduitException e)
        {
            error = Optional.of(CallFailure.of(e));
        }
        return new RuntimeFacts(Optional.of(runtime.libraryName()), version, driverVersion, count, error);
    }

    private static RuntimeFacts noRuntime()
    {
        return new RuntimeFacts(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty());
    }

    private static DriverFacts driverFacts(final CudaDriver driver)
    {
        OptionalInt version = OptionalInt.empty();
        final List<DeviceFacts> devices = new ArrayList<>();
        try
        {
            version = OptionalInt.of(driver.version());
            driver.init();
            for (final CudaDevice d : driver.devices())
            {
                devices.add(new DeviceFacts(d.ordinal(), d.name(), d.pciBusId(), d.uuid(),
                    d.attribute(CudaDeviceAttribute.COMPUTE_CAPABILITY_MAJOR), d.attribute(CudaDeviceAttribute.COMPUTE_CAPABILITY_MINOR),
                    d.totalMemoryBytes(), d.attribute(CudaDeviceAttribute.GPU_DIRECT_RDMA_SUPPORTED) != 0));
            }
            return new DriverFacts(Optional.of(driver.libraryName()), version, Optional.empty(), List.copyOf(devices));
        }
        catch (final ConduitException e)
        {
            return new DriverFacts(Optional.of(driver.libraryName()), version, Optional.of(CallFailure.of(e)), List.of());
        }
    }

    private static DriverFacts noDriver()
    {
        final CallFailure missing = new CallFailure("dlopen(" + CudaDriverLibrary.SONAME + ")", 0, "LIBRARY_NOT_FOUND",
            "not found; tried " + String.join(", ", CudaDriverLibrary.defaultCandidates()));
        return new DriverFacts(Optional.empty(), OptionalInt.empty(), Optional.of(missing), List.of());
    }
}
