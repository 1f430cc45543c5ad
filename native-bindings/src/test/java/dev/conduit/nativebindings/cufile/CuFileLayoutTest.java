package dev.conduit.nativebindings.cufile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.conduit.nativebindings.testing.Doubles;
import dev.conduit.nativebindings.testing.LayoutProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Proof 1 for cuFile: every struct, field, scalar and constant of {@link CuFileLayouts} and
 * {@link CuFileConstants} against gcc's view of {@code src/test/c/cufile_test.h}, the header
 * transcribed from the public cuFile API reference.
 */
@Timeout(180)
class CuFileLayoutTest
{
    @Test
    void shouldMatchEverySizeOffsetAndValueOfTheTranscribedHeader() throws Exception
    {
        final LayoutProbe probe = new LayoutProbe();
        CuFileLayouts.structs().forEach(probe::struct);
        CuFileLayouts.scalars().forEach(probe::scalar);
        CuFileConstants.constants().forEach(probe::constant);

        final Map<String, Long> c = probe.run(List.of("#include \"cufile_test.h\""),
            List.of("-I" + Doubles.testCSources()), Path.of("target", "layout-probe", "cufile"));

        assertEquals(probe.expected(), c);
    }

    @Test
    void shouldPlaceTheFieldsWhereTheReferenceTableSays()
    {
        // The offsets the public reference lists for x86_64, independent of any header.
        assertEquals(8, CuFileLayouts.ERROR.byteSize());
        assertEquals(24, CuFileLayouts.DESCR.byteSize());
        assertEquals(8, CuFileLayouts.DESCR_FD);
        assertEquals(64, CuFileLayouts.IO_PARAMS.byteSize());
        assertEquals(8, CuFileLayouts.IO_PARAMS_BASE);
        assertEquals(16, CuFileLayouts.IO_PARAMS_FILE_OFFSET);
        assertEquals(24, CuFileLayouts.IO_PARAMS_BUFFER_OFFSET);
        assertEquals(32, CuFileLayouts.IO_PARAMS_SIZE);
        assertEquals(40, CuFileLayouts.IO_PARAMS_FH);
        assertEquals(48, CuFileLayouts.IO_PARAMS_OPCODE);
        assertEquals(56, CuFileLayouts.IO_PARAMS_COOKIE);
        assertEquals(24, CuFileLayouts.IO_EVENTS.byteSize());
        assertEquals(0, CuFileLayouts.IO_EVENTS_COOKIE);
        assertEquals(8, CuFileLayouts.IO_EVENTS_STATUS);
        assertEquals(16, CuFileLayouts.IO_EVENTS_RET);
        assertEquals(56, CuFileLayouts.DRV_PROPS.byteSize());
        assertEquals(24, CuFileLayouts.offset(CuFileLayouts.DRV_PROPS, "nvfs.dstatusflags"));
        assertEquals(28, CuFileLayouts.offset(CuFileLayouts.DRV_PROPS, "nvfs.dcontrolflags"));
        assertEquals(32, CuFileLayouts.offset(CuFileLayouts.DRV_PROPS, "fflags"));
        assertEquals(52, CuFileLayouts.offset(CuFileLayouts.DRV_PROPS, "max_batch_io_timeout_msecs"));
        assertEquals(16, CuFileLayouts.IO_VEC.byteSize());
    }
}
