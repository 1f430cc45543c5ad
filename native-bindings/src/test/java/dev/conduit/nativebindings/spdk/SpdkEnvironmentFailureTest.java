package dev.conduit.nativebindings.spdk;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.nativebindings.testing.SpdkDoubleControl;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failed spdk_env_init leaves no environment behind, and the next attempt may succeed; runs before the other SPDK tests. */
@Order(1)
@Timeout(30)
class SpdkEnvironmentFailureTest
{
    private static final int ENODEV = 19;

    @Test
    void shouldReportAFailedInitialisationAndAllowAnotherAttempt()
    {
        final SpdkLibrary library = SpdkFixture.library();
        assertTrue(library.name().endsWith("libspdk_double.so"), library.name());
        if (SpdkEnvironment.current() == null)
        {
            SpdkDoubleControl.fail("spdk_env_init", ENODEV, 1);
            final ConduitException e = assertThrows(ConduitException.class, SpdkFixture::environment);
            assertEquals(ErrorCode.SYSTEM_ERROR, e.code());
            assertEquals(ErrorDomain.ERRNO, e.domain());
            assertEquals(ENODEV, e.nativeCode());
        }
        assertNotNull(SpdkFixture.environment());
        assertTrue(library.exports("spdk_nvme_connect"));
    }
}
