package dev.conduit.nativebindings.cufile;

import java.util.List;

/**
 * The groups of cuFile entry points, by the library version that introduced them. A loaded
 * libcufile may lack whole families (batch and stream IO arrived in 1.7 / CUDA 12.2, vector IO in
 * CUDA 13); {@link CuFileLibrary#families()} says which are exported, and calls into a missing one
 * fail with "not supported by this libcufile version ...".
 */
public enum CuFileApiFamily
{
    /** Driver open/close, use count, properties and the four driver limits. */
    DRIVER(List.of("cuFileDriverOpen", "cuFileDriverClose", "cuFileUseCount", "cuFileDriverGetProperties",
        "cuFileDriverSetPollMode", "cuFileDriverSetMaxDirectIOSize", "cuFileDriverSetMaxCacheSize",
        "cuFileDriverSetMaxPinnedMemSize")),
    /** Handle and buffer registration, synchronous read and write. */
    SYNC_IO(List.of("cuFileHandleRegister", "cuFileHandleDeregister", "cuFileBufRegister", "cuFileBufDeregister",
        "cuFileRead", "cuFileWrite")),
    /** cuFileReadv / cuFileWritev. */
    VECTOR_IO(List.of("cuFileReadv", "cuFileWritev")),
    /** Batch IO: set up, submit, get status, cancel, destroy. */
    BATCH(List.of("cuFileBatchIOSetUp", "cuFileBatchIOSubmit", "cuFileBatchIOGetStatus", "cuFileBatchIOCancel",
        "cuFileBatchIODestroy")),
    /** Async IO on CUDA streams and stream registration. */
    STREAM(List.of("cuFileReadAsync", "cuFileWriteAsync", "cuFileStreamRegister", "cuFileStreamDeregister")),
    /** cuFileGetVersion. */
    VERSION(List.of("cuFileGetVersion")),
    /** Programmatic configuration (before the driver opens). */
    PARAMETERS(List.of("cuFileGetParameterSizeT", "cuFileGetParameterBool", "cuFileGetParameterString",
        "cuFileSetParameterSizeT", "cuFileSetParameterBool", "cuFileSetParameterString", "cuFileGetParameterMinMaxValue")),
    /** Statistics level, start/stop/reset and level-1 counters. */
    STATS(List.of("cuFileSetStatsLevel", "cuFileGetStatsLevel", "cuFileStatsStart", "cuFileStatsStop",
        "cuFileStatsReset", "cuFileGetStatsL1")),
    /** The error-string helper behind CUFILE_ERRSTR. */
    ERROR_STRING(List.of("cufileop_status_error"));

    private final List<String> symbols;

    CuFileApiFamily(final List<String> symbols)
    {
        this.symbols = symbols;
    }

    /** @return the C functions of this family. */
    public List<String> symbols()
    {
        return symbols;
    }

    /** @return the family's name as reports print it, e.g. {@code vector_io}. */
    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
