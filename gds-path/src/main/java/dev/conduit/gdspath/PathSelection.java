package dev.conduit.gdspath;

import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileInventory;

/**
 * Chooses the data path a loader uses on this host from the probes' typed results:
 * {@link PathKind#GDS} when a CUDA device exists and libcufile's driver opened,
 * {@link PathKind#BOUNCE} when CUDA works without GPUDirect Storage, {@link PathKind#HOST}
 * otherwise. CUDA is checked first: without a device nothing else matters, whatever cuFile says.
 *
 * <p>Threading: stateless.
 */
public final class PathSelection
{
    private PathSelection()
    {
    }

    /**
     * @param cuda   what CUDA can do here.
     * @param cufile what cuFile can do here.
     * @return the path and the reason, quoting the deciding probe's reason.
     */
    public static PathChoice select(final CudaInventory cuda, final CuFileInventory cufile)
    {
        if (!cuda.available())
        {
            return new PathChoice(PathKind.HOST, "no usable CUDA device: " + cuda.reason());
        }
        if (cufile.available())
        {
            return new PathChoice(PathKind.GDS, "libcufile driver open and a CUDA device is present: " + cufile.reason());
        }
        return new PathChoice(PathKind.BOUNCE, "CUDA works but GPUDirect Storage does not: " + cufile.reason());
    }
}
