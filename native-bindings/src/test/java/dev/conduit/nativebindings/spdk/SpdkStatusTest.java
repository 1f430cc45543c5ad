package dev.conduit.nativebindings.spdk;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpdkStatusTest
{
    private static int raw(final int sct, final int sc, final boolean dnr)
    {
        return (sct << 9) | (sc << 1) | (dnr ? 1 << 15 : 0) | 1; // phase bit set, as a real CQE has it
    }

    @Test
    void shouldDecodeSctAndScFromTheRawStatus()
    {
        assertEquals(0, SpdkStatus.code(raw(0, 0, false)));
        assertEquals(0x280, SpdkStatus.code(raw(2, 0x80, true)));
        assertEquals(0x7FF, SpdkStatus.code(raw(7, 0xFF, false)));
        assertTrue(SpdkStatus.doNotRetry(raw(0, 0x80, true)));
        assertFalse(SpdkStatus.doNotRetry(raw(0, 0x80, false)));
    }

    @Test
    void shouldMapStatusesIntoTheErrorModel()
    {
        assertEquals(ErrorCode.OUT_OF_RANGE, SpdkStatus.errorCode(SpdkStatus.SC_LBA_OUT_OF_RANGE));
        assertEquals(ErrorCode.NO_SPACE, SpdkStatus.errorCode(SpdkStatus.SC_CAPACITY_EXCEEDED));
        assertEquals(ErrorCode.TRY_AGAIN, SpdkStatus.errorCode(SpdkStatus.SC_NAMESPACE_NOT_READY));
        assertEquals(ErrorCode.CANCELLED, SpdkStatus.errorCode(SpdkStatus.SC_ABORTED_SQ_DELETION));
        assertEquals(ErrorCode.CANCELLED, SpdkStatus.errorCode(SpdkStatus.SC_ABORTED_BY_REQUEST));
        assertEquals(ErrorCode.IO_ERROR, SpdkStatus.errorCode(SpdkStatus.SC_INTERNAL_DEVICE_ERROR));
        assertEquals(ErrorCode.IO_ERROR, SpdkStatus.errorCode(SpdkStatus.SC_DATA_TRANSFER_ERROR));
        assertEquals(ErrorCode.NVME_COMMAND_FAILED, SpdkStatus.errorCode(SpdkStatus.SC_INVALID_FIELD));
        assertEquals(ErrorCode.IO_ERROR, SpdkStatus.errorCode(SpdkStatus.SCT_MEDIA_ERROR << 8 | 0x81));
        assertEquals(ErrorCode.NVMF_CONNECTION_CLOSED, SpdkStatus.errorCode(SpdkStatus.SCT_PATH << 8));
        assertEquals(ErrorCode.NVME_COMMAND_FAILED, SpdkStatus.errorCode(SpdkStatus.SCT_COMMAND_SPECIFIC << 8 | 0x0A));
    }

    @Test
    void shouldKeepTheNativeCodeInTheNvmeDomain()
    {
        final ConduitException e = SpdkStatus.failure(raw(0, 0x80, true), "read of 8 blocks at LBA 1000");
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
        assertEquals(ErrorDomain.NVME, e.domain());
        assertEquals(0x80, e.nativeCode());
        assertEquals("read of 8 blocks at LBA 1000 failed: NVMe status SCT 0 SC 0x80 (do not retry)", e.getMessage());
    }
}
