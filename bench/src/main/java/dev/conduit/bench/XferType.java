package dev.conduit.bench;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.PathKind;

/**
 * gdsio's transfer types ({@code -x N}) and the Conduit data path each one runs on, so a
 * {@code conduit bench -x N} run lines up with {@code gdsio -x N} on the same host. The sync, async and
 * batch flavours of GPUDirect all run on {@link PathKind#GDS}: how the gds engine submits (batch API or
 * worker threads) is its own choice, and the flavour is named in the result line for the comparison.
 */
public enum XferType
{
    /** {@code -x 0}: storage to GPU memory by DMA (cuFile). */
    GPU_DIRECT(0, "GPUD", PathKind.GDS),
    /** {@code -x 1}: storage to host memory only. */
    CPU_ONLY(1, "CPUONLY", PathKind.HOST),
    /** {@code -x 2}: storage to host memory, then a copy to the GPU. */
    CPU_GPU(2, "CPU_GPU", PathKind.BOUNCE),
    /** {@code -x 5}: GPUDirect with stream-ordered (async) submission. */
    GPU_DIRECT_ASYNC(5, "GPUD_ASYNC", PathKind.GDS),
    /** {@code -x 6}: GPUDirect through the batch API. */
    GPU_BATCH(6, "GPU_BATCH", PathKind.GDS);

    private final int number;
    private final String gdsioName;
    private final PathKind path;

    XferType(final int number, final String gdsioName, final PathKind path)
    {
        this.number = number;
        this.gdsioName = gdsioName;
        this.path = path;
    }

    /** @return gdsio's {@code -x} number. */
    public int number()
    {
        return number;
    }

    /** @return the name gdsio prints after {@code XferType:}. */
    public String gdsioName()
    {
        return gdsioName;
    }

    /** @return the data path this transfer type runs on. */
    public PathKind path()
    {
        return path;
    }

    /**
     * @param number gdsio's {@code -x} value.
     * @return the transfer type.
     * @throws ConduitException {@link ErrorCode#INVALID_ARGUMENT} for a number Conduit does not run (3, 4, 7).
     */
    public static XferType of(final int number)
    {
        for (final XferType type : values())
        {
            if (type.number == number)
            {
                return type;
            }
        }
        throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "-x must be 0 (GPU_DIRECT), 1 (CPU_ONLY), 2 (CPU_GPU), "
            + "5 (GPU_DIRECT_ASYNC) or 6 (GPU_BATCH): " + number);
    }

    /**
     * @param path a data path.
     * @return the plain transfer type of that path: {@code gds} 0, {@code host} 1, {@code bounce} 2.
     */
    public static XferType of(final PathKind path)
    {
        return switch (path)
        {
            case GDS -> GPU_DIRECT;
            case HOST -> CPU_ONLY;
            case BOUNCE -> CPU_GPU;
        };
    }
}
