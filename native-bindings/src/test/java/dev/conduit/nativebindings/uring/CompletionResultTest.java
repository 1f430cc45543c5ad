package dev.conduit.nativebindings.uring;

import java.util.concurrent.TimeUnit;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class CompletionResultTest
{
    @Test
    void shouldNameErrnoWhenResultIsNegative()
    {
        assertTrue(CompletionResult.isError(-Errno.EINVAL));
        assertEquals("EINVAL", CompletionResult.errnoName(-Errno.EINVAL));
        assertEquals("EBADF", CompletionResult.errnoName(-Errno.EBADF));
    }

    @Test
    void shouldReportOkWhenResultIsByteCount()
    {
        assertFalse(CompletionResult.isError(4096));
        assertEquals("OK", CompletionResult.errnoName(0));
        assertEquals(4096, CompletionResult.check(4096, "read"));
    }

    @Test
    void shouldCarryOperationAndErrnoWhenConvertedToException()
    {
        final NativeException ex = CompletionResult.toException("read(fd=7, off=4096)", -Errno.EIO);

        assertEquals("EIO", ex.nativeName());
        assertEquals(Errno.EIO, ex.nativeCode());
        assertEquals("read(fd=7, off=4096)", ex.operation());
        assertTrue(ex.getMessage().contains("EIO"), ex.getMessage());
    }

    @Test
    void shouldThrowWhenCheckedResultIsError()
    {
        final NativeException ex = assertThrows(NativeException.class, () -> CompletionResult.check(-Errno.ENOSPC, "write"));

        assertEquals("ENOSPC", ex.nativeName());
    }

    @Test
    void shouldRefuseToConvertSuccessIntoException()
    {
        assertThrows(IllegalArgumentException.class, () -> CompletionResult.toException("read", 0));
    }
}
