package dev.conduit.nativebindings.uring;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The doctor probe, on this machine (whose kernel has io_uring enabled). */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringSupportTest
{
    @Test
    void shouldReportAvailableWithCoreOpcodesWhenKernelHasIoUring()
    {
        final IoUringSupport support = IoUringSupport.probe();

        assertTrue(support.available(), support.reason());
        assertTrue(support.supportedOpcodes().containsAll(List.of("NOP", "READ", "WRITE")), support.toString());
        assertFalse(support.sqpollDetail().isBlank());
    }

    @Test
    void shouldNameTheErrnoWhenSqpollIsRefused()
    {
        final IoUringSupport support = IoUringSupport.probe();

        if (!support.sqpollAllowed())
        {
            assertTrue(support.sqpollDetail().matches("^E[A-Z0-9]+: .*"), support.sqpollDetail());
        }
        else
        {
            assertTrue(support.sqpollDetail().contains("SQPOLL"), support.sqpollDetail());
        }
    }

    @Test
    void shouldCopyOpcodeListWhenConstructed()
    {
        final IoUringSupport support = new IoUringSupport(false, "ENOSYS: test", new java.util.ArrayList<>(), false, "-");

        assertThrows(UnsupportedOperationException.class, () -> support.supportedOpcodes().add("READ"));
        assertEquals(0, support.supportedOpcodes().size());
    }
}
