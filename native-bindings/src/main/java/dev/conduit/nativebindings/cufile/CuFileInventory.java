package dev.conduit.nativebindings.cufile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

import dev.conduit.core.ConduitException;
import dev.conduit.nativebindings.cuda.CallFailure;
import dev.conduit.nativebindings.cuda.CudaInventory;

/**
 * What GPUDirect Storage can do on this host, for {@code conduit doctor} and path selection.
 *
 * <p>The probe is careful about when it calls into libcufile, in this order:
 * <ol>
 *   <li>the library is loaded and its exports listed (a symbol lookup, no call);</li>
 *   <li>without a usable CUDA device nothing else happens: cuFile is known to crash on some VMs;</li>
 *   <li>the version and the staged compat-mode setting are read (neither opens the driver);</li>
 *   <li>without {@code /run/udev} (a container that does not mount it) the driver is not opened:
 *       cuFile discovers devices through udev;</li>
 *   <li>otherwise the driver is opened, its properties read, and it is closed again.</li>
 * </ol>
 *
 * @param library           the libcufile that loaded, if any.
 * @param version           cuFileGetVersion, when it was asked.
 * @param families          the API families the library exports.
 * @param driverOpened      cuFileDriverOpen succeeded.
 * @param properties        the driver properties, when it opened.
 * @param compatModeAllowed whether compat mode is allowed, when known.
 * @param error             the failure that stopped the probe, if any.
 * @param reason            one sentence for people.
 */
public record CuFileInventory(
    Optional<String> library,
    OptionalInt version,
    Set<CuFileApiFamily> families,
    boolean driverOpened,
    Optional<CuFileDriverProperties> properties,
    Optional<Boolean> compatModeAllowed,
    Optional<CallFailure> error,
    String reason)
{
    /** Where udev publishes device state; missing in containers that do not mount it. */
    public static final Path UDEV_DIR = Path.of("/run/udev");

    /**
     * @param cuda the CUDA facts of this host.
     * @return the cuFile facts, using the default library lookup and {@link #UDEV_DIR}.
     */
    public static CuFileInventory collect(final CudaInventory cuda)
    {
        return collect(cuda, UDEV_DIR, CuFileLibrary::load);
    }

    /**
     * @param cuda    the CUDA facts of this host.
     * @param udevDir the udev runtime directory to require.
     * @param loader  loads libcufile (called once).
     * @return the cuFile facts.
     */
    public static CuFileInventory collect(
        final CudaInventory cuda, final Path udevDir, final Supplier<Optional<CuFileLibrary>> loader)
    {
        final Optional<CuFileLibrary> loaded = loader.get();
        if (loaded.isEmpty())
        {
            return notOpened(Optional.empty(), OptionalInt.empty(), Set.of(), Optional.empty(), Optional.empty(),
                CuFileLibrary.SONAME + " not found (GPUDirect Storage is not installed)");
        }
        final CuFileLibrary library = loaded.get();
        final Optional<String> name = Optional.of(library.name());
        final Set<CuFileApiFamily> families = library.families();
        if (!cuda.available())
        {
            return notOpened(name, OptionalInt.empty(), families, Optional.empty(), Optional.empty(),
                "not probed: no usable CUDA device (cuFile is never called without one; it can crash on GPU-less VMs)");
        }
        final OptionalInt version = library.version();
        final Optional<Boolean> stagedCompat = stagedCompatMode(library, families);
        if (!Files.isDirectory(udevDir))
        {
            return notOpened(name, version, families, stagedCompat, Optional.empty(),
                udevDir + " is missing (a container without udev): cuFile discovers devices through it; "
                    + "mount it read-only, e.g. -v /run/udev:/run/udev:ro");
        }
        try (CuFileDriver driver = CuFileDriver.open(library))
        {
            final CuFileDriverProperties props = driver.properties();
            return new CuFileInventory(name, version, families, true, Optional.of(props),
                Optional.of(props.compatModeAllowed()), Optional.empty(), openedReason(props));
        }
        catch (final ConduitException e)
        {
            final CallFailure failure = CallFailure.of(e);
            return notOpened(name, version, families, stagedCompat, Optional.of(failure),
                failure.call() + " failed: " + failure.summary());
        }
    }

    /** @return true when the driver opened: GPUDirect Storage (or its compat mode) can be used. */
    public boolean available()
    {
        return driverOpened;
    }

    private static Optional<Boolean> stagedCompatMode(final CuFileLibrary library, final Set<CuFileApiFamily> families)
    {
        if (!families.contains(CuFileApiFamily.PARAMETERS))
        {
            return Optional.empty();
        }
        try
        {
            return Optional.of(CuFileSettings.of(library).get(CuFileBoolParameter.PROPERTIES_ALLOW_COMPAT_MODE));
        }
        catch (final ConduitException e)
        {
            return Optional.empty();
        }
    }

    private static String openedReason(final CuFileDriverProperties props)
    {
        if (props.nvmeSupported())
        {
            return "driver open; nvidia-fs " + props.nvfsMajorVersion() + "." + props.nvfsMinorVersion()
                + " serves " + props.statusFlags();
        }
        return "driver open in compat mode only (no GPUDirect for NVMe: cuFile uses POSIX IO plus a copy)";
    }

    private static CuFileInventory notOpened(
        final Optional<String> library, final OptionalInt version, final Set<CuFileApiFamily> families,
        final Optional<Boolean> compat, final Optional<CallFailure> error, final String reason)
    {
        return new CuFileInventory(library, version, families, false, Optional.empty(), compat, error, reason);
    }
}
