package dev.conduit.gdspath;

import java.util.Locale;

/** The ways data can reach GPU memory, best first. */
public enum PathKind
{
    /** NVMe to GPU by DMA through cuFile (GPUDirect Storage, or cuFile's own compat mode). */
    GDS,
    /** NVMe to a pinned host buffer, then a copy to the GPU. */
    BOUNCE,
    /** Host memory only: no usable GPU. */
    HOST;

    /** @return the name scripts key on: {@code gds}, {@code bounce}, {@code host}. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
